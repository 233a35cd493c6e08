package jmirage.caldav.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.caldav.store.Users;
import org.junit.jupiter.api.Test;

/** The cache of verified logins: by user and password, forgotten when the users change. */
class VerifiedLoginsTest {

    @Test
    void rememberedPerUserAndPasswordAndForgottenWithNewUsers() {
        VerifiedLogins logins = new VerifiedLogins();
        Users users = Users.none();
        assertFalse(logins.known(users, "alice", "secret"));
        logins.remember(users, "alice", "secret");
        assertTrue(logins.known(users, "alice", "secret"));
        assertFalse(logins.known(users, "alice", "Secret"));
        assertFalse(logins.known(users, "bob", "secret"));
        assertFalse(logins.known(users, "alic", "esecret"), "user and password are kept apart");
        Users reloaded = Users.none();
        assertFalse(logins.known(reloaded, "alice", "secret"), "a reload of htpasswd forgets every login");
        assertFalse(logins.known(users, "alice", "secret"), "and does not bring them back");
    }
}
