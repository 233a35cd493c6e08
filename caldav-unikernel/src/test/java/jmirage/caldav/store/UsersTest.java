package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Random;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class UsersTest {

    static final Random SEEDED = new Random() {
        private final java.util.Random r = new java.util.Random(42);

        @Override
        public void fill(byte[] destination) {
            r.nextBytes(destination);
        }
    };

    @Test
    void ourHashIsA2yCost10HashThatVerifies() {
        String hash = Users.hash("s3cret pass", SEEDED);
        assertTrue(hash.startsWith("$2y$10$"), hash);
        assertEquals(60, hash.length());
        Users users = Users.parse(Bytes.utf8("alice:" + hash + "\n")).orElseThrow();
        assertEquals(Set.of("alice"), users.names());
        assertTrue(users.verify("alice", "s3cret pass"));
        assertFalse(users.verify("alice", "s3cret pasS"));
        assertFalse(users.verify("bob", "s3cret pass"));
        assertEquals(List.of(), users.warnings());
    }

    @Test
    void the2aAnd2bVersionsVerifyToo() {
        String y = Users.hash("pw", SEEDED);
        for (String version : List.of("$2a$", "$2b$")) {
            Users users = Users.parse(Bytes.utf8("u:" + version + y.substring(4) + "\n")).orElseThrow();
            assertTrue(users.verify("u", "pw"), version);
        }
    }

    @Test
    void otherFormatsAndBadNamesAreWarnedAboutAndCannotLogIn() {
        String good = Users.hash("pw", SEEDED);
        String file = String.join("\n",
                "# operators' comment",
                "sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
                "md5:$apr1$abc$0123456789abcdef012345",
                "plain:password",
                "no colon here",
                ".hidden:" + good,
                "a@b:" + good,
                "x".repeat(65) + ":" + good,
                "carol:" + good,
                "carol:" + good,
                "");
        Users users = Users.parse(Bytes.utf8(file)).orElseThrow();
        assertEquals(Set.of("carol"), users.names());
        assertFalse(users.verify("plain", "password"), "a plain-text line never logs in");
        List<String> w = users.warnings();
        assertEquals(8, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("htpasswd:2: user 'sha' has a {SHA} hash"), w.get(0));
        assertTrue(w.get(1).contains("$apr1$"), w.get(1));
        assertTrue(w.get(2).contains("cannot log in"), w.get(2));
        assertTrue(w.get(3).startsWith("htpasswd:5: no ':'"), w.get(3));
        assertTrue(w.get(4).contains("starts with '.'"), w.get(4));
        assertTrue(w.get(5).contains("'a@b'"), w.get(5));
        assertTrue(w.get(7).startsWith("htpasswd:10: user 'carol' appears again"), w.get(7));
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() {
        Result<Users, StoreError> r = Users.parse(Bytes.of((byte) 'a', (byte) ':', (byte) 0xff, (byte) '\n'));
        assertEquals(Result.err(new StoreError.BadFile(Layout.HTPASSWD, 0, "not UTF-8 text")), r);
    }

    @Test
    void withUserAndEncodeWriteAnHtpasswdFileThatParsesBack() {
        String hash = Users.hash("first", SEEDED);
        Users users = Users.none().withUser("admin", hash);
        assertEquals("admin:" + hash + "\n", users.encode().toUtf8());
        assertTrue(Users.parse(users.encode()).orElseThrow().verify("admin", "first"));
    }
}
