package jmirage.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import jmirage.core.Unikernel;
import jmirage.host.HostClock;
import jmirage.launcher.image.ImageCommand;

/**
 * {@code ./unikernel}: the command line, like {@code mirage}. {@code list} names the unikernels;
 * {@code run NAME [boot parameters]} boots one; {@code run NAME --help} lists its parameters;
 * {@code check NAME [boot parameters]} checks its configuration; {@code image NAME [--format F]}
 * packages it (see {@link ImageCommand}).
 */
public final class Main {

    static final int EXIT_USAGE = 2;

    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    private Main() {}

    public static void main(String[] args) {
        librariesLogThroughUs();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(Arrays.asList(args), out, err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /**
     * What the libraries log goes to {@link LibraryLog}, and Netty registers no JFR events; first
     * thing in {@link #main}, before any library logs.
     */
    static void librariesLogThroughUs() {
        // Before any Netty class takes its logger: Netty's lines go through SLF4J to LibraryLog.
        // Named rather than discovered, so that another binding left on the class path (an old
        // target/lib) cannot win.
        // SLF4J's own report of that choice would be an info line on stderr in its format: warnings only.
        System.setProperty("slf4j.provider", LibraryLoggerProvider.class.getName());
        System.setProperty("slf4j.internal.verbosity", "WARN");
        // Netty 4.2's allocator registers JFR events as it starts, which loads and initialises the JDK's
        // Flight Recorder (about a hundred classes) on the way to the first accept, recording or not
        // (issue 18: 13% of echo's CPU time to its first answer). Off unless the operator asks for
        // them (-Dio.netty.jfr.enabled=true in JMIRAGE_JAVA_OPTS); the JVM's own JFR events are unaffected.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
        // Before any library logs through java.util.logging, which then starts with our handler.
        LibraryJulHandler.onFirstUse();
    }

    /** Runs a command; returns the exit status, or -1 when a unikernel was booted and exits on its own. */
    static int run(List<String> args, PrintWriter out, PrintWriter err) {
        if (!args.isEmpty() && (args.getFirst().equals("--version") || args.getFirst().equals("-V"))) {
            out.println("jmirage " + Version.current());
            return 0;
        }
        if (args.isEmpty() || List.of("--help", "-h", "help").contains(args.getFirst())) {
            out.println(usage());
            return args.isEmpty() ? EXIT_USAGE : 0;
        }
        return switch (args.getFirst()) {
            case "list" -> {
                int width = Catalog.ALL.stream().mapToInt(u -> u.name().length()).max().orElse(0);
                for (Unikernel<?, ?> u : Catalog.ALL) {
                    out.printf("%-" + width + "s  %s%n", u.name(), u.description());
                }
                yield 0;
            }
            case "run" -> {
                if (args.size() < 2) {
                    err.println("usage: unikernel run NAME [boot parameters]; `unikernel list` names them");
                    yield EXIT_USAGE;
                }
                String name = args.get(1);
                yield Catalog.find(name)
                        .map(u -> boot(u, args.subList(2, args.size()), out, err))
                        .orElseGet(() -> {
                            err.println("no unikernel named '" + name + "'; `unikernel list` names them");
                            return EXIT_USAGE;
                        });
            }
            case "check" -> CheckCommand.run(args.subList(1, args.size()), out, err);
            case "store" -> StoreCommand.run(args.subList(1, args.size()), System.in, System.out, err);
            case "image" -> ImageCommand.run(args.subList(1, args.size()), Catalog::find,
                    StoreOpening.projectFolder().orElse(Path.of("").toAbsolutePath()),
                    Path.of(System.getProperty("java.home")), out, err);
            default -> {
                err.println("unknown command '" + args.getFirst() + "'; try './unikernel --help'");
                yield EXIT_USAGE;
            }
        };
    }

    private static <D, P> int boot(Unikernel<D, P> unikernel, List<String> args, PrintWriter out, PrintWriter err) {
        return answerOrProceed("run", unikernel, args, out, err, (common, parameters) -> {
            LibraryLog.configure(common.logLevel, new HostClock(), System.out);
            int status = switch (common.target) {
                case host -> HostTarget.boot(unikernel, parameters, common, err);
                case tap -> TapTarget.boot(unikernel, parameters, common, err);
            };
            // The targets print their own line for a parameter they refuse before anything opens.
            return status == EXIT_USAGE ? usageHint("run", unikernel, err) : status;
        });
    }

    /**
     * What {@code run} and {@code check} share: the command line of {@code command NAME} parsed,
     * {@code --help} and {@code --version} answered, a usage error told in one line with where the
     * parameters are described; boot parameters that parse go to {@code proceed}.
     */
    static <D, P> int answerOrProceed(String command, Unikernel<D, P> unikernel, List<String> args, PrintWriter out,
            PrintWriter err, BiFunction<CommonParameters, P, Integer> proceed) {
        // instanceof, not a pattern switch: this runs at every boot (decision 23)
        BootCommandLine.Parsed<P> parsed = BootCommandLine.parse(command, unikernel, args);
        if (parsed instanceof BootCommandLine.Parsed.Boot<P>(CommonParameters common, P parameters)) {
            return proceed.apply(common, parameters);
        } else if (parsed instanceof BootCommandLine.Parsed.Help<P>(String text)) {
            out.print(text);
            out.flush();
            return 0;
        } else if (parsed instanceof BootCommandLine.Parsed.Version<P>(String text)) {
            out.println(text);
            return 0;
        }
        err.println(unikernel.name() + ": " + ((BootCommandLine.Parsed.UsageError<P>) parsed).reason());
        return usageHint(command, unikernel, err);
    }

    /** After the one line that says what is wrong: where the parameters are described, not all of them. */
    private static int usageHint(String command, Unikernel<?, ?> unikernel, PrintWriter err) {
        err.println("try './unikernel " + command + " " + unikernel.name() + " --help'");
        return EXIT_USAGE;
    }

    static String usage() {
        return """
                usage: unikernel COMMAND     (--version, -V: the version of this build; --help, -h: this)
                  list                      the unikernels of this build, one line each
                  run NAME [parameters]     boot NAME; `run NAME --help` lists its boot parameters
                  check NAME [parameters]   check every configuration NAME would read; exit 1 on problems
                  store COMMAND IMAGE ...   inspect a block-store image: format ls get put rm fsck export import
                  image NAME [--format F]   package NAME under target/images/NAME/F/; F is one of\s"""
                + ImageCommand.formatNames(", ") + " (default " + ImageCommand.FORMATS.getFirst().name() + ")";
    }
}
