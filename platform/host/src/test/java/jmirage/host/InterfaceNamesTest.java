package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InterfaceNamesTest {

    @Test
    void loopbackExistsAndAnUnusedNameDoesNot() {
        assertTrue(InterfaceNames.exists("lo"));
        assertFalse(InterfaceNames.exists("jmnone" + ProcessHandle.current().pid() % 100_000));
        assertFalse(InterfaceNames.exists(""));
    }
}
