package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.core.Bytes;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The htpasswd file operators write with apache2-utils' {@code htpasswd -B}, both ways. */
@Tag("peer")
class UsersPeerTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsHtpasswd() {
        Sh.requireCommand("htpasswd", "apache2-utils");
    }

    @Test
    void aFileWrittenByHtpasswdVerifies() throws Exception {
        Path file = dir.resolve("htpasswd");
        Command.of("htpasswd", "-B", "-c", "-b", file.toString(), "alice", "correct horse").run().ok();
        Command.of("htpasswd", "-B", "-C", "5", "-b", file.toString(), "bob", "battery staple").run().ok();
        Users users = Users.parse(Bytes.adopt(Files.readAllBytes(file))).orElseThrow();
        assertEquals(java.util.List.of(), users.warnings());
        assertTrue(users.verify("alice", "correct horse"));
        assertTrue(users.verify("bob", "battery staple"));
        assertFalse(users.verify("alice", "battery staple"));
        assertFalse(users.verify("bob", "correct horsE"));
    }

    @Test
    void ourHashIsVerifiedByHtpasswd() throws Exception {
        Path file = dir.resolve("htpasswd");
        Files.write(file, Users.none().withUser("carol", Users.hash("from java", UsersTest.SEEDED)).encode().toArray());
        Ran right = Command.of("htpasswd", "-v", "-b", file.toString(), "carol", "from java").run();
        assertEquals(0, right.exit(), right.describe());
        Ran wrong = Command.of("htpasswd", "-v", "-b", file.toString(), "carol", "from javA").run();
        assertEquals(3, wrong.exit(), wrong.describe());
    }
}
