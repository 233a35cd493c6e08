package jmirage.acme.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static Json ok(String text) {
        return JsonParser.parse(text).orElseThrow();
    }

    private static JsonError err(String text) {
        return switch (JsonParser.parse(text)) {
            case Result.Ok<Json, JsonError>(Json v) -> throw new AssertionError("parsed " + v + " from " + text);
            case Result.Err<Json, JsonError>(JsonError e) -> e;
        };
    }

    @Test
    void parsesAnAcmeOrderKeepingMemberOrder() {
        Json json = ok("""
                 { "status": "pending", "expires": "2026-12-13T10:00:00Z",
                   "identifiers": [ {"type": "dns", "value": "www.example.org"} ],
                   "authorizations": ["https://ca/authz/1"], "finalize": "https://ca/order/1/finalize",
                   "n": -12.5e2, "big": 123456789012345678901234567890, "t": true, "f": false, "z": null }
                """);
        Json.Obj o = (Json.Obj) json;
        assertEquals(List.of("status", "expires", "identifiers", "authorizations", "finalize", "n", "big", "t", "f", "z"),
                List.copyOf(o.members().keySet()));
        assertEquals(Optional.of("pending"), o.string("status"));
        assertEquals(new BigDecimal("-12.5e2"), ((Json.Num) o.get("n").orElseThrow()).value());
        assertEquals(Optional.empty(), ((Json.Num) o.get("big").orElseThrow()).asLong());
        assertEquals(Optional.of(true), o.bool("t"));
        assertEquals(Json.NULL, o.get("z").orElseThrow());
        assertEquals(Optional.of("www.example.org"),
                ((Json.Obj) o.array("identifiers").orElseThrow().getFirst()).string("value"));
    }

    @Test
    void decodesEscapesAndUtf8() {
        assertEquals(new Json.Str("a\"\\/\b\f\n\r\t\u00e9\u20ac\uD83D\uDE00"),
                ok("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9€\\ud83d\\ude00\""));
        assertEquals(new Json.Str("\uD83D\uDE00"), JsonParser.parse(Bytes.fromHex("22f09f988022")).orElseThrow());
    }

    @Test
    void refusesWhatRfc8259DoesNotAllowWithThePosition() {
        assertEquals(new JsonError(1, "expected a digit"), err("-x"));
        assertEquals(new JsonError(1, "unexpected end of input"), err("-"));
        assertEquals(1, err("01").position());                  // leading zero: "0" then text after the value
        assertEquals(0, err("+1").position());
        assertEquals(2, err("1.").position());
        assertEquals(7, err("[1, 2, ]").position());             // trailing comma
        assertEquals(7, err("{\"a\":1,}").position());
        assertEquals(1, err("\"\u0001\"").position());           // unescaped control character
        assertEquals(new JsonError(7, "high surrogate escape without its low half"), err("\"\\ud800\""));
        assertTrue(err("\"\\udc00\"").reason().contains("low surrogate"));
        assertTrue(err("{\"a\":1,\"a\":2}").reason().contains("duplicate"));
        assertEquals(7, err("{\"a\":1,\"a\":2}").position());
        assertTrue(err("// c\n1").reason().contains("unexpected byte"));
        assertTrue(err("1 2").reason().contains("after the value"));
        assertTrue(err("").reason().contains("end of input"));
        assertTrue(err("tru").reason().contains("expected true"));
        assertTrue(err("1e99999999999").reason().contains("out of range"));
    }

    @Test
    void refusesInvalidUtf8() {
        // overlong '/', a surrogate encoded in UTF-8, a lone continuation byte, a truncated sequence, a BOM
        for (String hex : List.of("22c0af22", "22eda08022", "228022", "22e282", "efbbbf2222")) {
            assertTrue(JsonParser.parse(Bytes.fromHex(hex)) instanceof Result.Err, hex);
        }
    }

    @Test
    void enforcesItsLimits() {
        String deep = "[".repeat(33) + "]".repeat(33);
        assertTrue(err(deep).reason().contains("deeper than 32"));
        assertTrue(JsonParser.parse("[".repeat(32) + "]".repeat(32)).isOk());
        Result<Json, JsonError> big = JsonParser.parse(Bytes.utf8("\"" + "x".repeat(100) + "\""), new JsonParser.Limits(50, 4));
        assertTrue(big instanceof Result.Err<Json, JsonError>(JsonError e) && e.reason().contains("over the limit"));
    }

    @Test
    void writesCompactTextThatParsesBack() {
        Json value = Json.object("b", Json.string("x\"y\u0001\n"), "a", Json.array(List.of(Json.number(-3), Json.NULL,
                new Json.Bool(false), new Json.Num(new BigDecimal("1.50E+3")))));
        String text = JsonWriter.write(value);
        assertEquals("{\"b\":\"x\\\"y\\u0001\\n\",\"a\":[-3,null,false,1.50E+3]}", text);
        assertEquals(value, ok(text));
    }
}
