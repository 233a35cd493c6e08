package jmirage.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jmirage.core.Unikernel;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The boot parameters of {@code ./unikernel run NAME} and {@code ./unikernel check NAME}: the common ones ({@link CommonParameters})
 * and the unikernel's own, parsed into values, or the help, or the version, or the one line that
 * says what is wrong with them (a usage error: exit status 2).
 */
final class BootCommandLine {

    private BootCommandLine() {}

    /** What the command line asks for. */
    sealed interface Parsed<P> {
        record Boot<P>(CommonParameters common, P parameters) implements Parsed<P> {}

        record Help<P>(String text) implements Parsed<P> {}

        record Version<P>(String text) implements Parsed<P> {}

        /** A usage error: one line naming the parameter and the reason. */
        record UsageError<P>(String reason) implements Parsed<P> {}
    }

    /** The common parameters that apply only to unikernels claiming a device of that kind. */
    private static final List<String> KV_PARAMETERS = List.of("--kv", "--kv-init");
    private static final List<String> BLOCK_PARAMETERS = List.of("--block", "--block-sector-size");
    /** Without a network device the target changes nothing for the unikernel, so --target goes too. */
    private static final List<String> NETWORK_PARAMETERS =
            List.of("--target", "--listen", "--tap", "--tap-create", "--ipv4", "--ipv4-gateway", "--mac", "--pcap");

    /** The highest TCP or UDP port (RFC 793 section 3.1, RFC 768: 16 bits). */
    private static final int HIGHEST_PORT = 65_535;

    /** Parses the boot parameters of {@code ./unikernel COMMAND NAME} ({@code run} or {@code check}). */
    static <D, P> Parsed<P> parse(String command, Unikernel<D, P> unikernel, List<String> args) {
        CommonParameters common = new CommonParameters();
        P parameters = unikernel.parameters();
        CommandSpec spec = CommandSpec.create().name("unikernel " + command + " " + unikernel.name());
        OptionSpec help = OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show these boot parameters and exit.").build();
        OptionSpec version = OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print the version of this build and exit.").build();
        spec.addOption(help);
        spec.addOption(version);
        String versionText = "jmirage " + unikernel.name() + " " + Version.current();
        spec.version(versionText);
        spec.usageMessage().description(unikernel.description()).abbreviateSynopsis(true).sortOptions(false);
        CommandSpec commonSpec = CommandSpec.forAnnotatedObject(common);
        CommandSpec ownSpec = CommandSpec.forAnnotatedObject(parameters);
        spec.addMixin("common", commonSpec);
        spec.addMixin("unikernel", ownSpec);
        CommandLine commandLine = new CommandLine(spec);
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            return new Parsed.UsageError<>(e.getMessage());
        }
        if (commandLine.isUsageHelpRequested()) {
            List<OptionSpec> shown = new ArrayList<>(List.of(help, version));
            shown.addAll(applicable(commonSpec.options(), DeviceProbe.claimedBy(unikernel)));
            commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                    h -> "");
            commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                    h -> group(h, "Common parameters:", shown)
                            + group(h, "Parameters of " + unikernel.name() + ":", ownSpec.options()));
            StringWriter text = new StringWriter();
            commandLine.usage(new PrintWriter(text, true));
            String usage = text.toString();
            return new Parsed.Help<>(usage.endsWith(System.lineSeparator()) ? usage : usage + System.lineSeparator());
        }
        if (commandLine.isVersionHelpRequested()) {
            return new Parsed.Version<>(versionText);
        }
        for (OptionSpec option : ownSpec.options()) {
            if (isPort(option) && option.getValue() instanceof Integer port && (port < 0 || port > HIGHEST_PORT)) {
                return new Parsed.UsageError<>(option.longestName() + ": " + port + " is not a port (0 to "
                        + HIGHEST_PORT + ")");
            }
        }
        if (common.kv != null && KvSpec.parse(common.kv) instanceof jmirage.core.Result.Err<KvSpec, KvSpecError>(var e)) {
            return new Parsed.UsageError<>("--kv " + common.kv + ": " + e.describe());
        }
        return new Parsed.Boot<>(common, parameters);
    }

    /**
     * The naming rule for ports: a unikernel's integer parameter named {@code --port} or
     * {@code --SOMETHING-port} is a TCP or UDP port, checked here so that a port out of range is a
     * usage error like any other bad value.
     */
    static boolean isPort(OptionSpec option) {
        String name = option.longestName();
        return (option.type() == int.class || option.type() == Integer.class)
                && (name.equals("--port") || name.endsWith("-port"));
    }

    /** The common parameters without those of devices the unikernel does not claim. */
    private static List<OptionSpec> applicable(List<OptionSpec> common, Set<DeviceProbe.Kind> claimed) {
        List<String> hidden = new ArrayList<>();
        if (!claimed.contains(DeviceProbe.Kind.KV)) {
            hidden.addAll(KV_PARAMETERS);
        }
        if (!claimed.contains(DeviceProbe.Kind.BLOCK)) {
            hidden.addAll(BLOCK_PARAMETERS);
        }
        if (!claimed.contains(DeviceProbe.Kind.NETWORK)) {
            hidden.addAll(NETWORK_PARAMETERS);
        }
        return common.stream().filter(o -> !hidden.contains(o.longestName())).toList();
    }

    /** A heading and its options in declaration order; nothing when there are none. */
    private static String group(Help help, String heading, List<OptionSpec> options) {
        if (options.isEmpty()) {
            return "";
        }
        Help.Layout layout = help.createDefaultLayout();
        for (OptionSpec option : options) {
            layout.addOption(option, help.createDefaultParamLabelRenderer());
        }
        return heading + System.lineSeparator() + layout;
    }
}
