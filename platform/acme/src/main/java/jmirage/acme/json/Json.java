package jmirage.acme.json;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON value (RFC 8259), immutable: what {@link JsonParser} reads and {@link JsonWriter} writes.
 * An object keeps its members in insertion order (the order of the text, or of the map given), so a
 * value written twice gives the same bytes.
 */
public sealed interface Json {

    /** An object; member names are unique (a strict parser refuses duplicates, RFC 8259 4 and RFC 7515 4). */
    record Obj(Map<String, Json> members) implements Json {
        public Obj {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
            members.forEach((k, v) -> Objects.requireNonNull(v, k));
        }

        public Optional<Json> get(String name) {
            return Optional.ofNullable(members.get(name));
        }

        /** The member {@code name} when it is a string. */
        public Optional<String> string(String name) {
            return get(name).flatMap(v -> v instanceof Str(String s) ? Optional.of(s) : Optional.empty());
        }

        /** The member {@code name} when it is an object. */
        public Optional<Obj> object(String name) {
            return get(name).flatMap(v -> v instanceof Obj o ? Optional.of(o) : Optional.empty());
        }

        /** The member {@code name} when it is an array. */
        public Optional<List<Json>> array(String name) {
            return get(name).flatMap(v -> v instanceof Arr(List<Json> items) ? Optional.of(items) : Optional.empty());
        }

        /** The member {@code name} when it is a boolean. */
        public Optional<Boolean> bool(String name) {
            return get(name).flatMap(v -> v instanceof Bool(boolean b) ? Optional.of(b) : Optional.empty());
        }
    }

    record Arr(List<Json> items) implements Json {
        public Arr {
            items = List.copyOf(items);
        }
    }

    record Str(String value) implements Json {
        public Str {
            Objects.requireNonNull(value);
        }
    }

    /** A number, exactly as written (RFC 8259 6 sets no precision; we keep every digit). */
    record Num(BigDecimal value) implements Json {
        public Num {
            Objects.requireNonNull(value);
        }

        /** The value as a long, when it is an integer in range. */
        public Optional<Long> asLong() {
            try {
                return Optional.of(value.longValueExact());
            } catch (ArithmeticException notALong) {
                return Optional.empty();
            }
        }
    }

    record Bool(boolean value) implements Json {}

    record Null() implements Json {}

    Null NULL = new Null();

    static Str string(String value) {
        return new Str(value);
    }

    static Num number(long value) {
        return new Num(BigDecimal.valueOf(value));
    }

    static Arr array(List<? extends Json> items) {
        return new Arr(List.copyOf(items));
    }

    /** An object from alternating names and values, in that order: {@code Json.object("a", x, "b", y)}. */
    static Obj object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Map<String, Json> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (members.put((String) namesAndValues[i], (Json) namesAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("duplicate member " + namesAndValues[i]);
            }
        }
        return new Obj(members);
    }
}
