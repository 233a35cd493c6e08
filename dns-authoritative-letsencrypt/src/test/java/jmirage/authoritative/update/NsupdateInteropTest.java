package jmirage.authoritative.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jmirage.testkit.Sh;

/**
 * BIND's nsupdate against the server on loopback (host target), zones in a git repository: signed
 * updates add and delete records, the answers change, and each update is one commit "changed by KEY
 * from IP"; unsigned, wrongly signed and under-privileged updates are refused and change nothing.
 */
@Tag("peer")
class NsupdateInteropTest {

    static final int PORT = 22053;
    static final String SECRET = SampleZone.TEST_SECRET;
    static final String OTHER = "c2Vjb25kIHNlY3JldCBmb3IgdGhlIHRlc3Qga2V5cw==";

    static Ran nsupdate(String key, String script) throws Exception {
        List<String> cmd = key == null ? List.of("nsupdate", "-t", "5") : List.of("nsupdate", "-t", "5", "-y", key);
        return Command.of(cmd).stdin("server 127.0.0.1 " + PORT + "\nzone example.test\n" + script + "\nsend\n").run();
    }

    static String dig(String name, String type) throws Exception {
        return Command.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+short", "+norec", name, type).run().output().trim();
    }

    static List<String> gitLog(Path repo) throws Exception {
        Ran r = Command.of("git", "-C", repo.toString(), "log", "--format=%an|%s", "main").run();
        assertEquals(0, r.exit(), r.output());
        return r.output().lines().toList();
    }

    @Test
    void signedUpdatesChangeAnswersAndAreOneCommitEach(@TempDir Path dir) throws Exception {
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("git", "git");
        Path repo = dir.resolve("zones.git");
        String keys = SampleZone.KEYS + """
                md5._update.example.test. DNSKEY 0 3 157 %s
                sha224._update.example.test. DNSKEY 0 3 162 %s
                sha512._update. DNSKEY 0 3 165 %s
                """.formatted(OTHER, OTHER, OTHER);
        try (HostFixture f = new HostFixture("dnsz-nsupdate", repo, Map.of("example.test", SampleZone.ZONE, "_keys", keys),
                new ZoneOptions(), PORT)) {
            assertEquals(List.of("test|setup"), gitLog(repo));

            Ran add = nsupdate("hmac-sha256:test._update.example.test:" + SECRET,
                    "update add nsu.example.test. 300 A 192.0.2.123\nupdate add nsu.example.test. 300 TXT \"via nsupdate\"");
            assertEquals(0, add.exit(), add.output());
            assertEquals("192.0.2.123", dig("nsu.example.test", "A"));
            assertEquals("\"via nsupdate\"", dig("nsu.example.test", "TXT"));
            assertTrue(dig("example.test", "SOA").contains(" 2026010102 "), "the serial grew by one");
            assertEquals(List.of("test._update.example.test|changed by test._update.example.test from 127.0.0.1",
                    "test|setup"), gitLog(repo));

            Ran delete = nsupdate("hmac-sha256:test._update.example.test:" + SECRET,
                    "update delete nsu.example.test. A");
            assertEquals(0, delete.exit(), delete.output());
            assertEquals("", dig("nsu.example.test", "A"));
            assertEquals("\"via nsupdate\"", dig("nsu.example.test", "TXT"));
            assertEquals(3, gitLog(repo).size());

            // every algorithm of the key files: md5 and sha224 zone keys, a sha512 key under the root
            for (String key : List.of("hmac-md5:md5._update.example.test:", "hmac-sha224:sha224._update.example.test:",
                    "hmac-sha512:sha512._update:")) {
                Ran r = nsupdate(key + OTHER, "update add alg.example.test. 60 TXT \"" + key.split(":")[0] + "\"");
                assertEquals(0, r.exit(), key + ": " + r.output());
                assertTrue(dig("alg.example.test", "TXT").contains(key.split(":")[0]));
            }
            assertEquals(6, gitLog(repo).size());
            assertTrue(gitLog(repo).getFirst().startsWith("sha512._update|changed by sha512._update from 127.0.0.1"),
                    gitLog(repo).getFirst());

            // refused: no key, a wrong secret, a key that may only transfer; nothing changes
            Ran unsigned = nsupdate(null, "update add evil.example.test. 300 A 192.0.2.66");
            assertNotEquals(0, unsigned.exit());
            assertTrue(unsigned.output().contains("REFUSED"), unsigned.output());
            Ran wrong = nsupdate("hmac-sha256:test._update.example.test:" + OTHER,
                    "update add evil.example.test. 300 A 192.0.2.66");
            assertNotEquals(0, wrong.exit());
            assertTrue(wrong.output().contains("NOTAUTH") || wrong.output().contains("BADSIG")
                    || wrong.output().contains("tsig"), wrong.output());
            Ran transferOnly = nsupdate("hmac-sha256:test._transfer.example.test:" + SECRET,
                    "update add evil.example.test. 300 A 192.0.2.66");
            assertNotEquals(0, transferOnly.exit());
            assertTrue(transferOnly.output().contains("REFUSED"), transferOnly.output());
            Ran unknown = nsupdate("hmac-sha256:nobody._update.example.test:" + SECRET,
                    "update add evil.example.test. 300 A 192.0.2.66");
            assertNotEquals(0, unknown.exit());
            assertEquals("", dig("evil.example.test", "A"));
            assertEquals(6, gitLog(repo).size());

            // a failed prerequisite: NXRRSET, nothing written
            Ran prereq = nsupdate("hmac-sha256:test._update.example.test:" + SECRET,
                    "prereq yxrrset nothing.example.test. A\nupdate add evil.example.test. 300 A 192.0.2.66");
            assertNotEquals(0, prereq.exit());
            assertTrue(prereq.output().contains("NXRRSET"), prereq.output());
            assertEquals(6, gitLog(repo).size());
            assertTrue(f.logged("not signed"));

            // over TCP (nsupdate -v), and ten clients at once: each update applied, one commit each
            Ran tcp = Command.of(List.of("nsupdate", "-v", "-t", "5", "-y", "hmac-sha256:test._update.example.test:" + SECRET)).stdin("server 127.0.0.1 " + PORT + "\nzone example.test\n"
                    + "update add tcp.example.test. 300 A 192.0.2.124\nsend\n").run();
            assertEquals(0, tcp.exit(), tcp.output());
            assertEquals("192.0.2.124", dig("tcp.example.test", "A"));
            List<Started> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(Command.of("nsupdate", "-t", "10", "-y", "hmac-sha256:test._update.example.test:" + SECRET)
                        .stdin("server 127.0.0.1 " + PORT + "\nzone example.test\nupdate add many.example.test. 300 A 192.0.2."
                                + (200 + i) + "\nsend\n")
                        .start());
            }
            for (Started client : clients) {
                client.waitFor(Duration.ofSeconds(30)).ok();
            }
            assertEquals(10, dig("many.example.test", "A").lines().count());
            assertEquals(6 + 1 + 10, gitLog(repo).size());
            assertTrue(dig("example.test", "SOA").contains(" " + (2026010101L + 5 + 1 + 10) + " "));
        }
    }
}
