package jmirage.core.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.core.LogLevel;
import org.junit.jupiter.api.Test;

/** The rules of {@link ParameterParser}, one by one, with the wording the launcher's users see. */
class ParameterParserTest {

    private final Sample sample = new Sample();

    private Parsed parse(String... args) {
        return ParameterParser.parse(List.of(sample), List.of(args));
    }

    private void assertAssigned(String... args) {
        assertEquals(new Parsed.Assigned(), parse(args));
    }

    /** On fresh parameters, which an error leaves as they were. */
    private static void assertUsageError(String reason, String... args) {
        Sample fresh = new Sample();
        assertEquals(new Parsed.UsageError(reason), ParameterParser.parse(List.of(fresh), List.of(args)));
        assertEquals(new Sample().values(), fresh.values(), "nothing set on an error");
    }

    @Test
    void aValueFollowsItsNameOrItsEqualsSign() {
        assertAssigned("--count", "7", "--name=x=y");
        assertEquals(7, sample.count);
        assertEquals("x=y", sample.name, "split at the first '='");
    }

    @Test
    void aNegativeNumberIsAValue() {
        assertAssigned("--count", "-1", "--big", "-9223372036854775808");
        assertEquals(-1, sample.count);
        assertEquals(Long.MIN_VALUE, sample.big);
    }

    @Test
    void anEmptyValueIsText() {
        assertAssigned("--name=");
        assertEquals("", sample.name);
        assertAssigned("--name", "");
        assertEquals("", sample.name);
        assertUsageError("Invalid value for option '--count': '' is not an int", "--count=");
    }

    @Test
    void numbersAreDecimalAsciiWithinTheirType() {
        assertAssigned("--count", "+5", "--big", "2147483648");
        assertEquals(5, sample.count);
        assertEquals(2_147_483_648L, sample.big);
        assertUsageError("Invalid value for option '--count': '2147483648' is out of the range of an int "
                + "(-2147483648 to 2147483647)", "--count", "2147483648");
        assertUsageError("Invalid value for option '--big': '9223372036854775808' is out of the range of a long "
                + "(-9223372036854775808 to 9223372036854775807)", "--big", "9223372036854775808");
        assertUsageError("Invalid value for option '--count': '\u0663' is not an int", "--count", "\u0663");
        assertUsageError("Invalid value for option '--count': ' 5' is not an int", "--count", " 5");
        assertUsageError("Invalid value for option '--count': '0x10' is not an int", "--count", "0x10");
        assertUsageError("Invalid value for option '--big': 'seven' is not a long", "--big", "seven");
    }

    @Test
    void aFlagTakesNoValueButMaySayWhich() {
        assertAssigned("--verbose");
        assertTrue(sample.verbose);
        assertAssigned("--verbose=false");
        assertEquals(false, sample.verbose);
        assertAssigned("--verbose=TRUE");
        assertTrue(sample.verbose);
        assertUsageError("Invalid value for option '--verbose': 'yes' is not true or false", "--verbose=yes");
        assertUsageError("Unexpected argument: 'true' (boot parameters are --NAME VALUE or --NAME=VALUE)",
                "--verbose", "true");
    }

    @Test
    void aRepeatableOptionAddsEachValueAndTheFirstReplacesTheDefault() {
        assertAssigned();
        assertEquals(List.of("default"), sample.tags);
        assertAssigned("--tag", "a", "--count", "1", "--tag=b", "--tag", "a");
        assertEquals(List.of("a", "b", "a"), sample.tags);
    }

    @Test
    void anyOtherOptionGivenTwiceIsAnError() {
        assertUsageError("Option '--count' may be given only once", "--count", "1", "--count=1");
        assertUsageError("Option '--verbose' may be given only once", "--verbose", "--verbose");
    }

    @Test
    void aMissingValueNamesTheOptionAndItsLabel() {
        assertUsageError("Missing required parameter for option '--name' (TEXT)", "--name");
        assertUsageError("Missing required parameter for option '--name' (TEXT)", "--name", "--count", "1");
        assertAssigned("--name=--count");
        assertEquals("--count", sample.name, "a value that begins with -- goes after '='");
    }

    @Test
    void anUnknownOptionIsNamedWithoutItsValue() {
        assertUsageError("Unknown option: '--nonsense'", "--nonsense");
        assertUsageError("Unknown option: '--nonsense'", "--count", "1", "--nonsense=3");
        assertUsageError("Unknown option: '-x'", "-x");
        assertUsageError("Unknown option: '--COUNT'", "--COUNT", "1");
        assertUsageError("Unknown option: '--coun'", "--coun", "1");
        assertUsageError("Unknown option: '--a\\nb'", "--a\nb", "1");
    }

    @Test
    void aUnikernelTakesNoPositionalArgument() {
        for (String positional : List.of("x", "-", "")) {
            assertUsageError("Unexpected argument: '" + positional + "' (boot parameters are --NAME VALUE or --NAME=VALUE)",
                    positional);
        }
    }

    @Test
    void doubleDashEndsTheOptionsAndNothingMayFollow() {
        assertAssigned("--count", "2", "--");
        assertEquals(2, sample.count);
        assertUsageError("Unexpected argument: '--count' (boot parameters are --NAME VALUE or --NAME=VALUE)",
                "--", "--count", "2");
    }

    @Test
    void anEnumIsMatchedByLabelInAnyCase() {
        assertAssigned("--log-level", "WARN", "--mode=SLOW", "--colour", "Light-Blue");
        assertEquals(LogLevel.WARN, sample.logLevel);
        assertEquals(Sample.Mode.slow, sample.mode);
        assertEquals(Sample.Colour.LIGHT_BLUE, sample.colour);
        assertUsageError("Invalid value for option '--log-level': 'trace' is not a log level; use one of debug, info, "
                + "warn, error", "--log-level", "trace");
        assertUsageError("Invalid value for option '--colour': 'LIGHT_BLUE' is not a colour; use one of light-blue",
                "--colour", "LIGHT_BLUE");
    }

    @Test
    void helpAndVersionEndTheReadingWhereTheyStand() {
        assertEquals(new Parsed.HelpRequested(), parse("-h"));
        assertEquals(new Parsed.HelpRequested(), parse("--count", "1", "--help", "--nonsense"));
        assertEquals(new Parsed.VersionRequested(), parse("-V"));
        assertEquals(new Parsed.VersionRequested(), parse("--version", "--help"));
        assertEquals(3, sample.count, "nothing set for help");
        assertUsageError("Unknown option: '--nonsense'", "--nonsense", "--help");
        assertUsageError("Option '--help' takes no value", "--help=yes");
    }

    @Test
    void aMixinsOptionsJoinTheCommandLine() {
        assertAssigned("--inner", "v");
        assertEquals("v", sample.inner.inner);
    }

    @Test
    void severalObjectsShareOneCommandLine() {
        Sample.Inner first = new Sample.Inner();
        OnlyPort second = new OnlyPort();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(first, second), List.of("--port", "53",
                "--inner", "a")));
        assertEquals("a", first.inner);
        assertEquals(53, second.port);
    }

    static final class OnlyPort {
        @Option(names = "--port", paramLabel = "N")
        int port;
    }

    static final class Unsupported {
        @Option(names = "--when")
        java.time.Instant when;
    }

    @Test
    void aDeclarationTheParserCannotReadIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> ParameterParser.parse(List.of(new Sample(), new Sample()), List.of()), "a name declared twice");
        assertThrows(IllegalArgumentException.class,
                () -> ParameterParser.parse(List.of(new Unsupported()), List.of()), "a type it does not read");
    }

    @Test
    void optionsListEachWithItsCurrentValueInDeclarationOrder() {
        List<OptionValue> options = ParameterParser.options(sample);
        assertEquals(List.of("--count", "--big", "--name", "--verbose", "--tag", "--inner", "--mode", "--colour", "--log-level"),
                options.stream().map(o -> o.spec().longestName()).toList());
        assertEquals("How many. Default: 3.", options.get(0).description());
        assertEquals("A name. Default: none.", options.get(2).description());
        assertEquals("From a mixin. Default: in.", options.get(5).description());
        assertEquals("One of fast, slow. Default: fast.", options.get(6).description());
        assertEquals(new ValueType.IntNumber(), options.get(0).spec().type());
    }
}
