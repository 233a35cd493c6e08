package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.core.kv.Entry;
import jmirage.core.kv.Key;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** The first boot makes a user whose password is printed once and stored only as a bcrypt hash. */
class FirstBootTest {

    @Test
    void thePasswordIsPrintedOnceAndOnlyItsHashIsStored() {
        SimCalDav cal = new SimCalDav(5, VirtualSwitch.Conditions.PERFECT);
        cal.boot().orElseThrow();
        List<String> printed = cal.printedPasswords();
        assertEquals(1, printed.size(), cal.logText());
        String password = printed.getFirst();
        assertEquals(FirstUser.PASSWORD_LENGTH, password.length());

        String htpasswd = cal.sim.await(cal.kv.get(Layout.HTPASSWD)).orElseThrow().toUtf8();
        assertTrue(htpasswd.matches("admin:\\$2y\\$10\\$[./A-Za-z0-9]{53}\n"), htpasswd);
        assertTrue(Users.parse(Bytes.utf8(htpasswd)).orElseThrow().verify(FirstUser.USER, password));
        for (Key key : allKeys(cal, Key.ROOT)) {
            assertFalse(cal.sim.await(cal.kv.get(key)).orElseThrow().toUtf8().contains(password), "the password is in " + key);
        }
        assertTrue(cal.sim.await(cal.kv.exists(Layout.properties(FirstUser.USER, FirstUser.CALENDAR))).orElseThrow().isPresent(),
                "the first calendar is stored");

        cal.stop();
        cal.boot().orElseThrow();
        assertEquals(1, cal.printedPasswords().size(), "a second boot prints no password:" + cal.logText());
        assertEquals(htpasswd, cal.sim.await(cal.kv.get(Layout.HTPASSWD)).orElseThrow().toUtf8(), "and keeps the users");
    }

    @Test
    void aStoreWithUsersGetsNoFirstUser() {
        SimCalDav cal = new SimCalDav(6, VirtualSwitch.Conditions.PERFECT);
        String line = "alice:" + Users.hash("alice's password", cal.sim.random()) + "\n";
        cal.sim.await(cal.kv.set(Layout.HTPASSWD, Bytes.utf8(line))).orElseThrow();
        cal.boot().orElseThrow();
        assertEquals(List.of(), cal.printedPasswords());
        assertEquals(line, cal.sim.await(cal.kv.get(Layout.HTPASSWD)).orElseThrow().toUtf8());
        assertFalse(cal.sim.await(cal.kv.exists(Layout.home(FirstUser.USER))).orElseThrow().isPresent());
    }

    private static List<Key> allKeys(SimCalDav cal, Key dictionary) {
        List<Key> keys = new java.util.ArrayList<>();
        for (Entry e : cal.sim.await(cal.kv.list(dictionary)).orElseThrow()) {
            if (e.kind() == jmirage.core.kv.EntryKind.VALUE) {
                keys.add(e.key());
            } else {
                keys.addAll(allKeys(cal, e.key()));
            }
        }
        return keys;
    }
}
