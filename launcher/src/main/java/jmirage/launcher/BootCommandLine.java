package jmirage.launcher;

import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
import jmirage.core.Unikernel;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** The boot parameters of {@code run NAME} and {@code check NAME}: the common ones and the unikernel's, parsed alike. */
final class BootCommandLine {

    private BootCommandLine() {}

    /**
     * Fills {@code common} and {@code parameters} from {@code args}. Returns the exit status when the
     * command is over already (a usage error: 2; {@code --help} or {@code --version}: 0), else empty.
     */
    static <P> OptionalInt parse(String command, Unikernel<?, P> unikernel, CommonParameters common, P parameters,
                                 List<String> args, PrintWriter out, PrintWriter err) {
        CommandSpec spec = CommandSpec.create().name("unikernel " + command + " " + unikernel.name());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show these boot parameters and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print the version of this build and exit.").build());
        spec.version("jmirage " + unikernel.name() + " " + Version.current());
        spec.usageMessage().description(unikernel.description());
        spec.addMixin("common", CommandSpec.forAnnotatedObject(common));
        spec.addMixin("unikernel", CommandSpec.forAnnotatedObject(parameters));
        CommandLine commandLine = new CommandLine(spec);
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            err.println(e.getMessage());
            commandLine.usage(err);
            return OptionalInt.of(Main.EXIT_USAGE);
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(out);
            return OptionalInt.of(0);
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(out);
            return OptionalInt.of(0);
        }
        return OptionalInt.empty();
    }
}
