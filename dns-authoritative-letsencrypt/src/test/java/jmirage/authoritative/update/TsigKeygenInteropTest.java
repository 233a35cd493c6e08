package jmirage.authoritative.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 2, the README's recipe: a real key made with BIND's {@code tsig-keygen}, its output
 * put into {@code _keys} as it is, and the same file given to {@code nsupdate -k}. The sample's public
 * key is gone, so it is refused, and the boot does not warn of it.
 */
@Tag("peer")
class TsigKeygenInteropTest {

    static final int PORT = 22553;

    static Ran nsupdate(List<String> auth, String script) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("nsupdate", "-t", "5"));
        cmd.addAll(auth);
        return Command.of(cmd).stdin("server 127.0.0.1 " + PORT + "\nzone example.test\n" + script + "\nsend\n").run();
    }

    static String dig(String name, String type) throws Exception {
        return Command.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+short", "+norec", name, type).run().output().trim();
    }

    @Test
    void aKeyFromTsigKeygenSignsNsupdateAndTheSampleKeyIsRefused(@TempDir Path dir) throws Exception {
        Sh.requireCommand("tsig-keygen", "bind9");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("git", "git");
        Ran keygen = Command.of("tsig-keygen", "-a", "hmac-sha256", "ops._update.example.test").run();
        assertEquals(0, keygen.exit(), keygen.output());
        assertTrue(keygen.output().startsWith("key \"ops._update.example.test\" {"), keygen.output());
        Path keyFile = dir.resolve("ops.key");
        Files.writeString(keyFile, keygen.output());

        try (HostFixture f = new HostFixture("dnsz-keygen", dir.resolve("zones.git"),
                Map.of("example.test", SampleZone.ZONE, "_keys", keygen.output()), new ZoneOptions(), PORT)) {
            assertTrue(f.logged("key file _keys: 1 key(s)"));
            assertFalse(f.logged("is active"), "no sample key, no warning");

            Ran signed = nsupdate(List.of("-k", keyFile.toString()), "update add real.example.test. 300 A 192.0.2.77");
            assertEquals(0, signed.exit(), signed.output());
            assertEquals("192.0.2.77", dig("real.example.test", "A"));

            Ran sample = nsupdate(List.of("-y", "hmac-sha256:test._update.example.test:" + SampleZone.TEST_SECRET),
                    "update add evil.example.test. 300 A 192.0.2.66");
            assertNotEquals(0, sample.exit(), sample.output());
            assertEquals("", dig("evil.example.test", "A"));
        }
    }
}
