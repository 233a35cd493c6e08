package jmirage.launcher.image;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;

/**
 * {@code ./unikernel image NAME [--format F]}: packages a unikernel of this build under
 * {@code target/images/NAME/F/} (default format {@code dir}); {@code --train-on IPV4} is the address
 * the AOT cache's training run binds (default {@value #TRAINING_ADDRESS}). Exit 0 when the image was written,
 * 1 when building it failed (the reason in one line), 2 on a usage error.
 */
public final class ImageCommand {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** Every format, in the order the usage line names them; the first is the default. */
    public static final List<ImageFormat> FORMATS = List.of(new DirImage(), new OciImage(),
            new VmImage(VmImage.Host.debian()));

    private ImageCommand() {}

    /**
     * @param catalogue the unikernel of this build of a name; empty for a name that is none
     * @param root the project folder (the launcher's {@code jmirage.home})
     * @param javaHome the JDK whose jlink and jdeps build the images
     */
    public static int run(List<String> args, Function<String, Optional<Unikernel<?, ?>>> catalogue, Path root, Path javaHome,
            PrintWriter out, PrintWriter err) {
        Optional<Invocation> parsed = parse(args, err);
        if (parsed.isEmpty()) {
            return EXIT_USAGE;
        }
        Invocation invocation = parsed.get();
        Optional<Unikernel<?, ?>> unikernel = catalogue.apply(invocation.unikernel());
        if (unikernel.isEmpty()) {
            err.println("no unikernel named '" + invocation.unikernel() + "'; `unikernel list` names them");
            return EXIT_USAGE;
        }
        ImageRequest request = new ImageRequest(invocation.unikernel(), unikernel.get().heapMiB(),
                unikernel.get().initialHeapMiB(), unikernel.get().compilation(),
                unikernel.get().getClass().getName(), root, javaHome,
                invocation.trainingAddress(), out);
        return switch (invocation.format().build(request).flatMap(written -> sbom(request, written))) {
            case Result.Ok<Path, ImageError>(Path written) -> {
                out.println("image: " + root.relativize(written));
                yield 0;
            }
            case Result.Err<Path, ImageError>(ImageError error) -> {
                err.println("image " + invocation.unikernel() + " --format " + invocation.format().name() + ": "
                        + error.describe());
                yield EXIT_FAILED;
            }
        };
    }

    /**
     * The SBOM of the image just {@code written}: of its own {@code lib/} and {@code runtime/}, or, for
     * a format that packs the {@code dir} image's files in another shape, of the {@code dir} image's.
     */
    private static Result<Path, ImageError> sbom(ImageRequest request, Path written) {
        Path contents = Files.isDirectory(written.resolve("lib")) ? written : request.output(DirImage.NAME);
        return Sbom.write(request.unikernel(), contents, written, mavenRepository()).map(_ -> written);
    }

    /** Maven's local repository, where the build's jars came from: {@code maven.repo.local}, else ~/.m2/repository. */
    static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        return local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** A command line that parsed: which unikernel, in which format, trained on which address. */
    record Invocation(String unikernel, ImageFormat format, String trainingAddress) {}

    /** The default training address: 127.0.0.0/8 is loopback (RFC 1122 3.2.1.3), this /24 is seldom used. */
    static final String TRAINING_ADDRESS = "127.18.1.1";

    static Optional<Invocation> parse(List<String> args, PrintWriter err) {
        String usage = "usage: unikernel image NAME [--format " + formatNames("|") + "] [--train-on IPV4]";
        if (args.isEmpty() || args.getFirst().startsWith("-")) {
            err.println(usage);
            return Optional.empty();
        }
        ImageFormat format = FORMATS.getFirst();
        String trainingAddress = TRAINING_ADDRESS;
        for (int i = 1; i < args.size(); i += 2) {
            String option = args.get(i);
            if (i + 1 >= args.size() || !List.of("--format", "--train-on").contains(option)) {
                err.println(usage);
                return Optional.empty();
            }
            String value = args.get(i + 1);
            if (option.equals("--format")) {
                Optional<ImageFormat> named = FORMATS.stream().filter(f -> f.name().equals(value)).findFirst();
                if (named.isEmpty()) {
                    err.println("unknown image format '" + value + "'; the formats are " + formatNames(", "));
                    return Optional.empty();
                }
                format = named.get();
            } else {
                try {
                    Inet4Address.ofLiteral(value);
                } catch (IllegalArgumentException e) {
                    err.println("--train-on wants an IPv4 address the training run may bind, not '" + value + "'");
                    return Optional.empty();
                }
                trainingAddress = value;
            }
        }
        return Optional.of(new Invocation(args.getFirst(), format, trainingAddress));
    }

    /**
     * The training run of {@code request}'s unikernel (its {@link TrainingRecipe}) with {@code java}, the
     * JVM and its options up to the main class, in {@code scratch}: what an image's build runs to
     * record its AOT cache, here for a test to run on the build's own class path.
     */
    public static Result<Unit, ImageError> rehearse(ImageRequest request, List<String> java, Path scratch) {
        return Training.rehearse(request, java, scratch);
    }

    /** The formats' names, joined by {@code separator}. */
    public static String formatNames(String separator) {
        return FORMATS.stream().map(ImageFormat::name).collect(Collectors.joining(separator));
    }
}
