package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The times the vm image's initramfs gives the dir image's files: a jar of {@code lib/} keeps its
 * fixed one (the AOT cache checks it), everything else has {@link VmImage#EPOCH}, folders of
 * {@code lib/} too, whose own time is the build's: two builds a minute apart gave two initramfs
 * before (`scripts/check-reproducible`).
 */
class VmImageTreeTest {

    @TempDir
    Path image;

    @Test
    void onlyTheJarsOfLibKeepTheirTime() throws Exception {
        Path jar = Files.createDirectories(image.resolve("lib")).resolve("core.jar");
        Files.write(jar, new byte[] {1});
        Files.setLastModifiedTime(jar, DirImage.JAR_TIME);
        Path library = Files.createDirectories(image.resolve("lib/native/netty-epoll")).resolve("libnetty.so");
        Files.write(library, new byte[] {2});
        Files.setLastModifiedTime(image.resolve("lib/native"), FileTime.from(Instant.parse("2026-12-07T17:03:00Z")));
        CpioArchive archive = new CpioArchive();
        archive.add(new CpioArchive.Entry.Directory("app", 0755, VmImage.EPOCH));
        VmImage.addTree(archive, image, "app");
        assertEquals(DirImage.JAR_TIME.toInstant().getEpochSecond(), archive.entry("app/lib/core.jar").orElseThrow().mtime());
        assertEquals(VmImage.EPOCH, archive.entry("app/lib").orElseThrow().mtime());
        assertEquals(VmImage.EPOCH, archive.entry("app/lib/native").orElseThrow().mtime());
        assertEquals(VmImage.EPOCH, archive.entry("app/lib/native/netty-epoll/libnetty.so").orElseThrow().mtime());
    }
}
