package jmirage.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP header fields in the order received, immutable. Names compare case-insensitively
 * (RFC 9110 5.1); a name may repeat, as Set-Cookie does.
 */
public record Headers(List<Field> fields) {

    public static final Headers EMPTY = new Headers(List.of());

    /** One field line: a name and its value, with surrounding whitespace already removed. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }
    }

    public Headers {
        fields = List.copyOf(fields);
    }

    /** Headers from alternating names and values: {@code Headers.of("Content-Type", "text/plain")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        List<Field> list = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Headers(list);
    }

    /** The first value of {@code name}. */
    public Optional<String> get(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                values.add(f.value());
            }
        }
        return List.copyOf(values);
    }

    public boolean contains(String name) {
        return get(name).isPresent();
    }

    /**
     * Whether {@code name}'s comma-separated list holds {@code token}, case-insensitively, as in
     * {@code Connection: keep-alive, Upgrade} (RFC 9110 5.6.1).
     */
    public boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                String t = part.strip();
                int semicolon = t.indexOf(';');
                if (semicolon >= 0) {
                    t = t.substring(0, semicolon).strip();
                }
                if (t.equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** These headers with {@code name} replaced by one field holding {@code value}. */
    public Headers with(String name, String value) {
        List<Field> list = new ArrayList<>(fields.size() + 1);
        for (Field f : fields) {
            if (!f.name().equalsIgnoreCase(name)) {
                list.add(f);
            }
        }
        list.add(new Field(name, value));
        return new Headers(list);
    }

    /** These headers with one more field for {@code name}, keeping those there. */
    public Headers plus(String name, String value) {
        List<Field> list = new ArrayList<>(fields);
        list.add(new Field(name, value));
        return new Headers(list);
    }

    public Headers without(String name) {
        List<Field> list = new ArrayList<>(fields.size());
        for (Field f : fields) {
            if (!f.name().equalsIgnoreCase(name)) {
                list.add(f);
            }
        }
        return new Headers(list);
    }
}
