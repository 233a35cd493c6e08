package jmirage.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResultTest {

    @Test
    void okMapsAndErrPassesThrough() {
        Result<Integer, String> ok = Result.ok(2);
        Result<Integer, String> err = Result.err("no");
        assertEquals(Result.ok(4), ok.map(v -> v * 2));
        assertEquals(Result.err("no"), err.map(v -> v * 2));
        assertEquals(Result.err("bad 2"), ok.flatMap(v -> Result.err("bad " + v)));
        assertEquals(Result.err(2), err.mapError(String::length));
        assertEquals(5, err.orElse(5));
        assertThrows(IllegalStateException.class, err::orElseThrow);
    }
}
