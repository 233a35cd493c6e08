package jmirage.acme.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary bytes into the JSON parser: a value or a {@link JsonError} inside the input comes out,
 * never an exception; what parses writes back to text that parses to the same value.
 */
class JsonParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parserReturnsValuesOnly(byte[] input) {
        switch (JsonParser.parse(Bytes.of(input))) {
            case Result.Ok<Json, JsonError>(Json value) ->
                    assertEquals(value, JsonParser.parse(JsonWriter.bytes(value)).orElseThrow());
            case Result.Err<Json, JsonError>(JsonError error) -> {
                if (error.position() < 0 || error.position() > input.length) {
                    throw new AssertionError("error position " + error.position() + " outside " + input.length + " bytes");
                }
            }
        }
    }
}
