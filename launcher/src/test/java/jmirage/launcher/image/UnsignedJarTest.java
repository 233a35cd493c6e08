package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Result;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bouncy Castle's signed bcprov, the jar the images hold unsigned (decision 18). */
class UnsignedJarTest {

    @TempDir
    Path folder;

    private static Path bcprov() throws URISyntaxException {
        return Path.of(BouncyCastleProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static byte[] unsigned(Path jar) {
        return ((Result.Ok<Optional<byte[]>, ImageError>) UnsignedJar.of(jar)).value().orElseThrow();
    }

    @Test
    void bcprovLosesItsSignatureAndKeepsEveryOtherEntryByteForByteInItsOrder() throws Exception {
        Path signed = bcprov();
        Path copy = Files.write(folder.resolve("bcprov.jar"), unsigned(signed));
        List<String> before = names(signed);
        List<String> after = names(copy);
        assertTrue(before.stream().anyMatch(UnsignedJar::isSignatureFile), "bcprov is signed: " + before.subList(0, 5));
        assertEquals(before.stream().filter(n -> !UnsignedJar.isSignatureFile(n)).toList(), after);
        try (ZipFile a = new ZipFile(signed.toFile()); ZipFile b = new ZipFile(copy.toFile())) {
            for (String name : after) {
                if (!name.equals(JarFile.MANIFEST_NAME)) {
                    assertArrayEquals(read(a, name), read(b, name), name);
                }
            }
        }
        // The JVM sees an unsigned jar: every entry reads without a verifier and without signers.
        try (JarFile jar = new JarFile(copy.toFile(), true)) {
            for (JarEntry entry : jar.stream().toList()) {
                read(jar, entry.getName());
                assertNull(entry.getCodeSigners(), entry.getName());
            }
            Manifest manifest = jar.getManifest();
            assertEquals(UnsignedJar.sha256(Files.readAllBytes(signed)), manifest.getMainAttributes().getValue(UnsignedJar.ORIGIN));
            assertTrue(manifest.getEntries().isEmpty(), "no per-entry digests left");
            try (JarFile original = new JarFile(signed.toFile())) {
                original.getManifest().getMainAttributes().forEach((k, v) ->
                        assertEquals(v, manifest.getMainAttributes().get(k), k.toString()));
            }
        }
        assertTrue(Files.size(copy) < Files.size(signed), "smaller without the signature's digests");
        assertArrayEquals(Files.readAllBytes(copy), unsigned(signed), "the same copy every time");
    }

    @Test
    void anUnsignedJarStaysAsItIs() throws IOException {
        Path plain = folder.resolve("plain.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(plain))) {
            out.putNextEntry(new ZipEntry("a/B.class"));
            out.write(new byte[] {1, 2, 3});
        }
        assertEquals(Result.ok(Optional.empty()), UnsignedJar.of(plain).map(o -> o.map(b -> "bytes")));
    }

    @Test
    void aClassChangedAfterSigningIsRefused() throws Exception {
        Path tampered = rewrite(bcprov(), "org/bouncycastle/util/Arrays.class", content -> {
            byte[] changed = content.clone();
            changed[changed.length - 1] ^= 1;
            return changed;
        }, false);
        ImageError error = ((Result.Err<Optional<byte[]>, ImageError>) UnsignedJar.of(tampered)).error();
        assertInstanceOf(ImageError.BadSignature.class, error);
        assertTrue(error.describe().contains("org/bouncycastle/util/Arrays"), error.describe());
    }

    @Test
    void aClassAddedAfterSigningIsRefused() throws Exception {
        Path added = rewrite(bcprov(), "", c -> c, true);
        ImageError error = ((Result.Err<Optional<byte[]>, ImageError>) UnsignedJar.of(added)).error();
        assertEquals(new ImageError.BadSignature(added.toString(), "org/example/Added.class is not covered by the signature"), error);
    }

    @Test
    void theSbomNamesTheSignedJarAsTheAncestor() throws Exception {
        Path signed = bcprov();
        Path repository = Files.createDirectories(folder.resolve("m2/org/bouncycastle/bcprov-jdk18on/1.83"));
        Files.copy(signed, repository.resolve(signed.getFileName()));
        Path copy = Files.write(Files.createDirectories(folder.resolve("lib")).resolve(signed.getFileName()), unsigned(signed));
        Sbom.Library library = ((Result.Ok<Sbom.Library, ImageError>) Sbom.library(copy, folder.resolve("m2"))).value();
        assertEquals("org.bouncycastle", library.group());
        assertEquals(UnsignedJar.sha256(Files.readAllBytes(copy)), library.sha256());
        String signedDigest = UnsignedJar.sha256(Files.readAllBytes(signed));
        assertEquals(Optional.of(signedDigest), library.ancestor().map(Sbom.Library.Ancestor::sha256));
        String json = JsonWriter.write(library.json());
        assertTrue(json.contains("\"pedigree\"") && json.contains(signedDigest) && json.contains("decision 18"), json);
    }

    @Test
    void theMainSectionIsKeptAndTheOriginWrappedAt72Bytes() {
        byte[] manifest = "Manifest-Version: 1.0\r\nCreated-By: x\r\n\r\nName: a/B.class\r\nSHA-256-Digest: zz\r\n\r\n".getBytes();
        String out = new String(UnsignedJar.mainSection(manifest, "0123456789abcdef".repeat(4)));
        assertEquals("Manifest-Version: 1.0\r\nCreated-By: x\r\n"
                + "X-Jmirage-Unsigned-From: 0123456789abcdef0123456789abcdef0123456789abcde\r\n"
                + " f0123456789abcdef\r\n\r\n", out);
        for (String line : out.split("\r\n")) {
            assertTrue(line.length() <= 72, line);
        }
    }

    @Test
    void whatIsNotAZipIsAnErrorNotAnException() {
        assertEquals(Result.err("no end of central directory record"), UnsignedJar.strip(new byte[100]));
    }

    private interface Change {
        byte[] apply(byte[] content);
    }

    /** The jar with one entry's content changed, or with a class added, signature files kept. */
    private Path rewrite(Path jar, String entry, Change change, boolean addClass) throws IOException {
        Path out = folder.resolve("changed.jar");
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(out);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            for (ZipEntry e : in.stream().toList()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                byte[] content = read(in, e.getName());
                zip.write(e.getName().equals(entry) ? change.apply(content) : content);
            }
            if (addClass) {
                zip.putNextEntry(new ZipEntry("org/example/Added.class"));
                zip.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            }
        }
        return out;
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    private static List<String> names(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(jar.toFile())) {
            file.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }
}
