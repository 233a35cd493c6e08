package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import jmirage.core.params.ParameterParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Issue 14, item 9: usage errors exit 2 with one line and a hint; help groups the parameters. */
class BootCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("dns-authoritative", "--port", "70000"),
                        "dns-authoritative: --port: 70000 is not a port (0 to 65535)"),
                Arguments.of(List.of("dhcp-server", "--client-port", "-1"),
                        "dhcp-server: --client-port: -1 is not a port (0 to 65535)"),
                Arguments.of(List.of("echo", "--log-level", "trace"),
                        "echo: Invalid value for option '--log-level': 'trace' is not a log level;"
                                + " use one of debug, info, warn, error"),
                Arguments.of(List.of("echo", "--nonsense"), "echo: Unknown option: '--nonsense'"),
                Arguments.of(List.of("echo", "--kv"), "echo: Missing required parameter for option '--kv' (SPEC)"),
                Arguments.of(List.of("echo", "--port-base", "seven"),
                        "echo: Invalid value for option '--port-base': 'seven' is not an int"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void aBadParameterIsOneLineAndAHintWithExitTwo(List<String> args, String reason) {
        String name = args.getFirst();
        List<String> command = Stream.concat(Stream.of("run"), args.stream()).toList();
        assertEquals(Main.EXIT_USAGE, run(command.toArray(String[]::new)));
        assertEquals(List.of(reason, "try './unikernel run " + name + " --help'"), err.toString().lines().toList());
        assertEquals("", out.toString());
    }

    /** Network parameters are checked after parsing, before anything opens: still a usage error, one line and the hint. */
    @Test
    void aBadPrefixIsAUsageErrorToo() {
        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--target", "tap", "--tap", "tap0", "--ipv4", "10.0.0.1/33"));
        List<String> lines = err.toString().lines().toList();
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.getFirst().startsWith("echo: --ipv4: "), lines.getFirst());
        assertEquals("try './unikernel run echo --help'", lines.get(1));
    }

    /** Issue 17: the authoritative server's certify role is configured from the command line, and listed in --help. */
    @Test
    void theAcmeParametersAreInTheAuthoritativeServersHelp() {
        assertEquals(0, run("run", "dns-authoritative", "--help"));
        for (String option : List.of("--acme-directory=URL", "--acme-ca=KEY", "--acme-email=ADDR", "--acme-resolver=IP[:PORT]")) {
            assertTrue(out.toString().contains(option), option + " in " + out);
        }
    }

    @Test
    void theLogLevelTakesItsLabelsInAnyCase() {
        for (String label : List.of("warn", "WARN", "Warn")) {
            var parsed = BootCommandLine.parse("run", Catalog.find("echo").orElseThrow(), List.of("--log-level", label));
            var boot = assertInstanceOf(BootCommandLine.Parsed.Boot.class, parsed, label);
            assertEquals(jmirage.core.LogLevel.WARN, boot.common().logLevel, label);
        }
    }

    @Test
    void helpShowsTheCommonParametersFirstThenTheUnikernelsInDeclarationOrder() {
        assertEquals(0, run("run", "echo", "--help"));
        String help = out.toString();
        assertTrue(help.startsWith("Usage: unikernel run echo [OPTIONS]"), help);
        int common = help.indexOf("Common parameters:");
        int own = help.indexOf("Parameters of echo:");
        assertTrue(common > 0 && own > common, help);
        List<String> inOrder = List.of("--help", "--version", "--target=TARGET", "--listen=ADDR", "--tap=DEV",
                "--tap-create", "--ipv4=A.B.C.D/N", "--log-level=LEVEL", "--stop-timeout=SECONDS");
        int previous = common;
        for (String option : inOrder) {
            int at = help.indexOf(option, previous);
            assertTrue(at > previous && at < own, option + " in order in the common group:\n" + help);
            previous = at;
        }
        assertTrue(help.indexOf("--port-base=N") > own, help);
        assertTrue(help.replaceAll("\\s+", " ").contains("debug, info, warn, error. Default: info."), help);
    }

    /**
     * Decision 14: our own help layout, 80 columns, every unikernel's; only a word longer than a
     * line (a URL: it stays whole, to be copied) may pass them, on a line of its own.
     */
    @Test
    void everyUnikernelsHelpFitsEightyColumns() {
        for (var unikernel : Catalog.ALL) {
            var help = assertInstanceOf(BootCommandLine.Parsed.Help.class,
                    BootCommandLine.parse("run", unikernel, List.of("--help")), unikernel.name());
            help.text().lines().forEach(line -> assertTrue(line.length() <= 80 || !line.strip().contains(" "),
                    unikernel.name() + ": " + line));
            // a unikernel with parameters of its own lists them; one with none (speaking-clock, openvpn-client) has no such group
            assertEquals(!ParameterParser.options(unikernel.parameters()).isEmpty(),
                    help.text().contains("Parameters of " + unikernel.name() + ":"), help.text());
        }
    }

    @Test
    void helpLeavesOutTheParametersOfDevicesNotClaimed() {
        assertEquals(0, run("run", "echo", "--help"));
        String echo = out.toString();
        assertFalse(echo.contains("--block"), echo);
        assertFalse(echo.contains("--kv"), echo);
        assertTrue(echo.contains("--tap=DEV"), echo);
    }

    @Test
    void withoutANetworkDeviceTheNetworkParametersAndTheTargetAreLeftOut() {
        assertEquals(0, run("run", "speaking-clock", "--help"));
        String help = out.toString();
        for (String absent : List.of("--target", "--listen", "--tap", "--ipv4", "--ipv6", "--pcap", "--kv", "--block")) {
            assertFalse(help.contains(absent), absent + " in\n" + help);
        }
        assertTrue(help.contains("--log-level=LEVEL"), help);
        assertFalse(help.contains("Parameters of speaking-clock:"), "no heading for an empty group:\n" + help);
        assertTrue(help.endsWith(System.lineSeparator()), "ends its last line");
    }

    @Test
    void theProbeFindsWhatEachUnikernelClaims() {
        assertEquals(EnumSet.of(DeviceProbe.Kind.NETWORK), DeviceProbe.claimedBy(Catalog.find("echo").orElseThrow()).kinds());
        assertEquals(EnumSet.of(DeviceProbe.Kind.NETWORK, DeviceProbe.Kind.KV),
                DeviceProbe.claimedBy(Catalog.find("dns-authoritative").orElseThrow()).kinds());
        for (var unikernel : Catalog.ALL) {
            assertFalse(DeviceProbe.claimedBy(unikernel).kinds().contains(DeviceProbe.Kind.BLOCK), unikernel.name());
        }
    }

    @Test
    void anUnknownCommandIsOneLineToo() {
        assertEquals(Main.EXIT_USAGE, run("--nonsense"));
        assertEquals(List.of("unknown command '--nonsense'; try './unikernel --help'"), err.toString().lines().toList());
    }

    @Test
    void helpAndVersionAtTheTopLevel() {
        assertEquals(0, run("-h"));
        assertTrue(out.toString().startsWith("usage: unikernel COMMAND"), out.toString());
        assertEquals(0, run("--help"));
        assertEquals(0, run("--version"));
        assertTrue(out.toString().contains("jmirage " + Version.current()), out.toString());
        assertEquals(0, run("-V"));
    }
}
