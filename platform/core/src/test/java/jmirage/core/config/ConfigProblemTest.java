package jmirage.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfigProblemTest {

    @Test
    void aProblemWithALineIsDescribedAsCompilersDo() {
        assertEquals("dhcpd.conf:15: expected ';', got '}'", new ConfigProblem("dhcpd.conf", 15, "expected ';', got '}'").describe());
    }

    @Test
    void aProblemWithoutALineNamesOnlyItsSource() {
        assertEquals("--port: must be between 1 and 65535, got '0'",
                ConfigProblem.of("--port", "must be between 1 and 65535, got '0'").describe());
    }

    @Test
    void aNegativeLineIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new ConfigProblem("x", -1, "y"));
    }
}
