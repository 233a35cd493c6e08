package jmirage.core.params;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Result;
import jmirage.core.params.Declarations.Bound;

/**
 * Boot parameters from a command line, as MirageOS's generated {@code Key_gen} reads them: the
 * options of one or more parameters objects ({@link Option} fields, {@link Mixin}s expanded), read
 * left to right in the GNU long-option forms {@code --name value} and {@code --name=value}.
 *
 * <ul>
 *   <li>A flag takes no value, or {@code --flag=true|false}.
 *   <li>Any other option takes the next argument as its value unless it begins with {@code --}
 *       (so {@code --port -1} reads -1 and {@code --kv --listen x} misses its value); a value that
 *       begins with {@code --} is written {@code --name=--value}.
 *   <li>A repeatable ({@code List}) option adds each value; any other given twice is an error.
 *   <li>{@code -h}/{@code --help} and {@code -V}/{@code --version} end the reading where they stand.
 *   <li>{@code --} ends the options; a unikernel takes no positional argument, so nothing may follow.
 * </ul>
 *
 * The first error ends the reading. Fields are set only when the whole line is read without one.
 */
public final class ParameterParser {

    private ParameterParser() {}

    /** The built-in option for help; its description is the help's line for it. */
    public static final OptionSpec HELP =
            new OptionSpec(List.of("-h", "--help"), "", new ValueType.Flag(), "Show these boot parameters and exit.");

    /** The built-in option for the version. */
    public static final OptionSpec VERSION = new OptionSpec(List.of("-V", "--version"), "", new ValueType.Flag(),
            "Print the version of this build and exit.");

    /** The end of the options (POSIX.1-2017 XBD 12.2, guideline 10). */
    private static final String END_OF_OPTIONS = "--";

    /** Each option of {@code parameters} with the value its field holds now (the default, on a fresh object). */
    public static List<OptionValue> options(Object parameters) {
        return Declarations.bind(parameters).stream().map(b -> new OptionValue(b.spec(), b.value())).toList();
    }

    /**
     * Reads {@code args} into the options of {@code parameterObjects} (each object's options once; the
     * same name in two objects is a programming error, as is a field of a type {@link ValueType} does
     * not read).
     */
    public static Parsed parse(List<?> parameterObjects, List<String> args) {
        Map<String, Bound> byName = new HashMap<>();
        for (OptionSpec builtIn : List.of(HELP, VERSION)) {
            builtIn.names().forEach(name -> byName.put(name, new Bound(builtIn, null, null)));
        }
        for (Object parameters : parameterObjects) {
            for (Bound bound : Declarations.bind(parameters)) {
                for (String name : bound.spec().names()) {
                    if (byName.putIfAbsent(name, bound) != null) {
                        throw new IllegalArgumentException("option " + name + " declared twice");
                    }
                }
            }
        }
        Map<Bound, Object> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(END_OF_OPTIONS)) {
                return i + 1 < args.size() ? unexpected(args.get(i + 1)) : assign(given);
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return unexpected(arg);
            }
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = equals < 0 ? arg : arg.substring(0, equals);
            String inline = equals < 0 ? null : arg.substring(equals + 1);
            Bound option = byName.get(name);
            if (option == null) {
                return new Parsed.UsageError("Unknown option: " + Quoting.quoted(name));
            }
            if (option.spec() == HELP || option.spec() == VERSION) {
                return inline != null ? new Parsed.UsageError("Option '" + name + "' takes no value")
                        : option.spec() == HELP ? new Parsed.HelpRequested() : new Parsed.VersionRequested();
            }
            String text;
            if (!option.spec().type().takesValue()) {
                text = inline == null ? "true" : inline;
            } else if (inline != null) {
                text = inline;
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                text = args.get(++i);
            } else {
                return new Parsed.UsageError("Missing required parameter for option '" + name + "' ("
                        + option.spec().label() + ")");
            }
            // instanceof, not a pattern switch: this runs at every boot (decision 23)
            Result<?, String> read = option.spec().type().read(text);
            if (read instanceof Result.Err<?, String>(String reason)) {
                return new Parsed.UsageError("Invalid value for option '" + name + "': " + reason);
            }
            Object value = read.orElseThrow();
            if (option.spec().type() instanceof ValueType.TextList) {
                @SuppressWarnings("unchecked")
                List<Object> values = (List<Object>) given.computeIfAbsent(option, o -> new ArrayList<>());
                values.add(value);
            } else if (given.putIfAbsent(option, value) != null) {
                return new Parsed.UsageError("Option '" + name + "' may be given only once");
            }
        }
        return assign(given);
    }

    private static Parsed assign(Map<Bound, Object> given) {
        given.forEach(Bound::set);
        return new Parsed.Assigned();
    }

    private static Parsed unexpected(String arg) {
        return new Parsed.UsageError("Unexpected argument: " + Quoting.quoted(arg)
                + " (boot parameters are --NAME VALUE or --NAME=VALUE)");
    }
}
