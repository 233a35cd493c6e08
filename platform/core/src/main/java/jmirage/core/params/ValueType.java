package jmirage.core.params;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jmirage.core.Result;

/** How an option's text becomes its field's value, by the field's type. */
public sealed interface ValueType {

    // Each type reads by a method of its own rather than a pattern switch over this: the parser runs
    // at every boot, and each pattern switch generates a class at its first run (decision 23).

    /** A {@code boolean}: given alone it sets true; {@code --NAME=true|false} says which. */
    record Flag() implements ValueType {
        @Override
        public Result<?, String> read(String text) {
            return text.equalsIgnoreCase("true") ? Result.ok(true)
                    : text.equalsIgnoreCase("false") ? Result.ok(false)
                    : Result.err(Quoting.quoted(text) + " is not true or false");
        }
    }

    /** An {@code int}, in decimal ASCII digits with an optional sign. */
    record IntNumber() implements ValueType {
        @Override
        public Result<?, String> read(String text) {
            return number(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int").map(Long::intValue);
        }
    }

    /** A {@code long}, written as an int is. */
    record LongNumber() implements ValueType {
        @Override
        public Result<?, String> read(String text) {
            return number(text, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
        }
    }

    /** A {@code String}, any text (the empty one too). */
    record Text() implements ValueType {
        @Override
        public Result<?, String> read(String text) {
            return Result.ok(text);
        }
    }

    /** A {@code List<String>}: each occurrence of the option adds one; the first replaces the default. */
    record TextList() implements ValueType {
        @Override
        public Result<?, String> read(String text) {
            return Result.ok(text);
        }
    }

    /** An enum: one of its constants, by {@link Labelled#label} or else by name, in any case. */
    record Choice(Class<? extends Enum<?>> type) implements ValueType {

        @Override
        public Result<?, String> read(String text) {
            return Arrays.stream(type.getEnumConstants())
                    .filter(constant -> label(constant).equalsIgnoreCase(text))
                    .findFirst().<Result<?, String>>map(Result::ok)
                    .orElseGet(() -> Result.err(Quoting.quoted(text) + " is not a " + noun() + "; use one of "
                            + String.join(", ", labels())));
        }

        /** What the command line calls each constant, in declaration order. */
        public List<String> labels() {
            return Arrays.stream(type.getEnumConstants()).map(Choice::label).toList();
        }

        /** The constant as written on the command line. */
        static String label(Enum<?> constant) {
            return constant instanceof Labelled labelled ? labelled.label() : constant.name();
        }

        /** The type for errors, from its simple name: LogLevel is a "log level". */
        String noun() {
            return type.getSimpleName().replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the option reads a value (all but a flag). */
    default boolean takesValue() {
        return !(this instanceof Flag);
    }

    /**
     * The value {@code text} stands for, or why it stands for none (the end of "Invalid value for
     * option '--x': ..."). A TextList reads one element.
     */
    Result<?, String> read(String text);

    /** A value as help shows it for {@code ${DEFAULT-VALUE}}. */
    default String show(Object value) {
        return switch (value) {
            case null -> "none";
            case Enum<?> constant -> Choice.label(constant);
            case List<?> list -> list.stream().map(String::valueOf).collect(Collectors.joining(", "));
            default -> String.valueOf(value);
        };
    }

    /**
     * The value type of {@code field}; a field of any other type is a programming error, found the
     * first time its class is described.
     */
    static ValueType of(Field field) {
        Class<?> type = field.getType();
        if (type == boolean.class) {
            return new Flag();
        } else if (type == int.class) {
            return new IntNumber();
        } else if (type == long.class) {
            return new LongNumber();
        } else if (type == String.class) {
            return new Text();
        } else if (type == List.class && field.getGenericType() instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] == String.class) {
            return new TextList();
        } else if (type.isEnum()) {
            @SuppressWarnings("unchecked")
            Class<? extends Enum<?>> choices = (Class<? extends Enum<?>>) type;
            return new Choice(choices);
        }
        throw new IllegalArgumentException("@Option " + field + ": a parameter is an int, long, boolean, String, "
                + "List<String> or enum");
    }

    /** ASCII digits with an optional sign: not the other Unicode digits {@link Long#parseLong} takes. */
    private static boolean isDecimal(String text) {
        int start = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
        return text.length() > start && text.substring(start).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** {@code text} as a whole number from {@code least} to {@code greatest}; {@code type} names it with its article. */
    private static Result<Long, String> number(String text, long least, long greatest, String type) {
        if (!isDecimal(text)) {
            return Result.err(Quoting.quoted(text) + " is not " + type);
        }
        try {
            long value = Long.parseLong(text);
            if (value >= least && value <= greatest) {
                return Result.ok(value);
            }
        } catch (NumberFormatException beyondLong) {
            // Digits only, so the one reason left: more than a long holds; said below.
        }
        return Result.err(Quoting.quoted(text) + " is out of the range of " + type + " (" + least + " to " + greatest + ")");
    }
}
