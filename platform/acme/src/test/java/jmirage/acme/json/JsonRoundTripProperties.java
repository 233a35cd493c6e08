package jmirage.acme.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever value is written, the parser reads back an equal value (RFC 8259 round trip). */
class JsonRoundTripProperties {

    @Property(tries = 500)
    void writeThenParseGivesTheSameValue(@ForAll("values") Json value) {
        assertEquals(value, JsonParser.parse(JsonWriter.bytes(value)).orElseThrow());
    }

    @Provide
    Arbitrary<Json> values() {
        return value(3);
    }

    private static Arbitrary<Json> value(int depth) {
        Arbitrary<Json> leaf = Arbitraries.oneOf(
                strings().map(Json.Str::new),
                Arbitraries.longs().map(Json::number),
                Arbitraries.bigDecimals().ofScale(4).map(Json.Num::new),
                Arbitraries.integers().between(-50, 50).map(e -> new Json.Num(new BigDecimal("7.25").scaleByPowerOfTen(e))),
                Arbitraries.of(true, false).map(Json.Bool::new),
                Arbitraries.just(Json.NULL));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Json> inner = Arbitraries.lazy(() -> value(depth - 1));
        return Arbitraries.oneOf(leaf,
                inner.list().ofMaxSize(4).map(items -> (Json) new Json.Arr(items)),
                Arbitraries.maps(strings(), inner).ofMaxSize(4).map(m -> (Json) new Json.Obj(new LinkedHashMap<>(m))));
    }

    /** Any text of whole code points, control characters and astral ones included (no lone surrogates: they name nothing). */
    private static Arbitrary<String> strings() {
        return Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(12)
                .map(cps -> {
                    StringBuilder b = new StringBuilder();
                    cps.forEach(b::appendCodePoint);
                    return b.toString();
                });
    }
}
