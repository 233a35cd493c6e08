package jmirage.launcher.image;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.launcher.JvmSizing;

/**
 * The training run of an AOT cache (JEP 514's one step: {@code -XX:AOTCacheOutput}): the image's own
 * runtime boots the unikernel on the training address as its {@link TrainingRecipe} says (the boot
 * parameters, and what its store must hold to boot) with its metrics endpoint on port
 * {@value #METRICS_PORT}, waits until it serves (a socket bound to the port its exercise uses, or a line
 * printed), exercises it with one request of its kind (an echo, a DNS query, an HTTP GET), reads its
 * metrics once, and stops it with SIGTERM, as an operator would.
 * The JVM writes the cache as it exits: the classes loaded and linked, and the method profiles, of
 * that boot.
 */
final class Training {

    /** A cold JVM on a loaded machine boots in seconds; a unikernel that does not serve by then is broken. */
    static final Duration SERVING_WITHIN = Duration.ofSeconds(60);
    /** The exit includes writing the cache (a second JVM assembles it): tens of seconds on a loaded machine. */
    static final Duration STOPPED_WITHIN = Duration.ofSeconds(120);

    /**
     * The metrics port of the training run: the one the deployments use ({@code --metrics 0.0.0.0:9100},
     * deploy/kubernetes), so that the cache holds the metrics endpoint's classes too, and so that every
     * jar of the image is used in the training (the launcher's HTTP server and Netty's HTTP codec).
     */
    static final int METRICS_PORT = 9100;

    private Training() {}

    static Result<Path, ImageError> record(ImageRequest request, Path image, DirImage.Contents contents) {
        Path cache = image.resolve(request.unikernel() + ".aot");
        request.progress().println("image " + request.unikernel() + ": training run on " + request.trainingAddress()
                + " to record " + image.relativize(cache));
        Path scratch;
        try {
            scratch = Files.createTempDirectory("jmirage-training-");
        } catch (IOException e) {
            return Result.err(new ImageError.Io("a scratch folder for the training run", e.toString()));
        }
        try {
            return train(request, image, contents, cache, scratch);
        } finally {
            remove(scratch);
        }
    }

    private static Result<Path, ImageError> train(ImageRequest request, Path image, DirImage.Contents contents, Path cache,
            Path scratch) {
        List<String> java = new ArrayList<>();
        java.add(image.resolve("runtime").resolve("bin").resolve("java").toString());
        java.add("-XX:AOTCacheOutput=" + cache);
        java.addAll(DirImage.jvmOptions(request));
        java.add(JvmSizing.initialHeapOption(request.initialHeapMiB()));
        java.addAll(contents.javaOptions(image + "/"));
        return rehearse(request, java, scratch).flatMap(_ -> Files.isRegularFile(cache) ? Result.ok(cache)
                : Result.err(new ImageError.TrainingFailed("the JVM wrote no AOT cache")));
    }

    /**
     * One run of the unikernel's {@link TrainingRecipe}: {@code java} (the JVM and its options up to
     * the main class) boots it in {@code scratch} as the recipe says, waits until it serves, exercises
     * it and stops it with SIGTERM; answers once it has exited with status 0.
     */
    static Result<Unit, ImageError> rehearse(ImageRequest request, List<String> java, Path scratch) {
        Result<List<String>, ImageError> parameters = bootParameters(request.unikernel(), request.trainingAddress(),
                request.root(), scratch);
        if (parameters instanceof Result.Err<List<String>, ImageError>(ImageError error)) {
            return Result.err(error);
        }
        List<String> command = new ArrayList<>(java);
        // The scratch folder as project folder: nothing of the run is left in the image.
        command.add("-Djmirage.home=" + scratch);
        command.add(DirImage.MAIN_CLASS);
        command.addAll(List.of("run", request.unikernel()));
        command.addAll(parameters.orElseThrow());
        Path log = scratch.resolve("training.log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            return Result.err(new ImageError.Io("starting the training run", e.toString()));
        }
        try {
            Result<Integer, ImageError> exercised = serveAndExercise(request.unikernel(), request.trainingAddress(), process, log);
            if (exercised instanceof Result.Err<Integer, ImageError>(ImageError error)) {
                return Result.err(error);
            }
            process.destroy(); // SIGTERM
            if (!process.waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                return Result.err(new ImageError.TrainingFailed("not stopped " + STOPPED_WITHIN.toSeconds()
                        + " s after SIGTERM" + tail(log)));
            }
            if (process.exitValue() != 0) {
                return Result.err(new ImageError.TrainingFailed("exited with status " + process.exitValue() + tail(log)));
            }
            return Result.ok();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.err(new ImageError.TrainingFailed("interrupted"));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The boot parameters of the training run of {@code unikernel} on {@code address}: {@code --listen},
     * {@code --kv} (its recipe's store, seeded in {@code scratch}), {@code --metrics} on
     * {@value #METRICS_PORT}, then the recipe's own. Also what the image tests boot an image with.
     */
    static Result<List<String>, ImageError> bootParameters(String unikernel, String address, Path projectRoot, Path scratch) {
        Optional<TrainingRecipe> recipe = TrainingRecipe.of(unikernel);
        if (recipe.isEmpty()) {
            return Result.err(new ImageError.NoTrainingRecipe(unikernel));
        }
        String store;
        try {
            store = store(recipe.get(), projectRoot, address, scratch);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("seeding the training run's store", e.toString()));
        }
        List<String> parameters = new ArrayList<>(List.of("--listen", address, "--kv", store, "--metrics",
                address + ":" + METRICS_PORT));
        parameters.addAll(recipe.get().parameters());
        return Result.ok(List.copyOf(parameters));
    }

    /**
     * What the training does with a booted unikernel ({@code process}, started with
     * {@link #bootParameters}; {@code log} its output): waits until it serves as its recipe says,
     * exercises it, reads its metrics. Also what the image tests do to see which jars a unikernel uses.
     */
    static Result<Integer, ImageError> serveAndExercise(String unikernel, String address, Process process, Path log)
            throws InterruptedException {
        Optional<TrainingRecipe> known = TrainingRecipe.of(unikernel);
        if (known.isEmpty()) {
            return Result.err(new ImageError.NoTrainingRecipe(unikernel));
        }
        TrainingRecipe recipe = known.get();
        Result<Integer, ImageError> served = switch (recipe.ready()) {
            case TrainingRecipe.Ready.SocketBound(TrainingRecipe.Ready.Protocol protocol, int port) ->
                    awaitServing(address, protocol, port, process, log);
            case TrainingRecipe.Ready.Printed(String text) -> awaitPrinted(text, process, log);
        };
        return served
                .flatMap(_ -> recipe.exercise().run(address).<ImageError>mapError(failure -> new ImageError.TrainingFailed(failure + tail(log))))
                .flatMap(_ -> metrics(address, log));
    }

    /**
     * The {@code --kv} of the training run: a {@code dir:} store in the scratch folder holding the
     * recipe's seeds (none: empty), the kind of store {@code bin/NAME} boots with by default
     * ({@code var/NAME} in the image), so that the cache holds the classes of that store and of the
     * unikernel's first boot on it (a sample written, then read).
     */
    private static String store(TrainingRecipe recipe, Path projectRoot, String address, Path scratch) throws IOException {
        Path store = Files.createDirectories(scratch.resolve("store"));
        for (var seed : recipe.seeds().entrySet()) {
            Files.write(store.resolve(seed.getKey()), seed.getValue().bytes(projectRoot, address));
        }
        return "dir:" + store;
    }

    /** Waits until a line of the unikernel's output holds {@code text}. */
    private static Result<Integer, ImageError> awaitPrinted(String text, Process process, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + SERVING_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return Result.err(new ImageError.TrainingFailed("exited with status " + process.exitValue()
                        + " before printing '" + text + "'" + tail(log)));
            }
            try {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return Result.ok(1);
                }
            } catch (IOException e) {
                return Result.err(new ImageError.Io("reading the training run's output", e.toString()));
            }
            Thread.sleep(20);
        }
        return Result.err(new ImageError.TrainingFailed("'" + text + "' not printed within "
                + SERVING_WITHIN.toSeconds() + " s" + tail(log)));
    }

    /**
     * Waits until the unikernel has a socket of {@code protocol} bound to {@code port} of the training
     * address: a TCP listener in /proc/net/tcp or tcp6, a UDP socket in /proc/net/udp or udp6 (the
     * kernel's tables, proc(5)). Answers how many. Any other socket would not do: a unikernel binds its
     * metrics endpoint and some of its services before others (dhcp-server its UDP port before its
     * HTTP one, echo its UDP port before its TCP listener on the same port).
     */
    private static Result<Integer, ImageError> awaitServing(String address, TrainingRecipe.Ready.Protocol protocol,
            int port, Process process, Path log)
            throws InterruptedException {
        String local = procAddress(address) + ":" + "%04X".formatted(port);
        long deadline = System.nanoTime() + SERVING_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return Result.err(new ImageError.TrainingFailed("exited with status " + process.exitValue()
                        + " before serving" + tail(log)));
            }
            int bound;
            try {
                bound = switch (protocol) {
                    case TCP -> bound(Path.of("/proc/net/tcp"), local, LISTEN)
                            + bound(Path.of("/proc/net/tcp6"), V4_MAPPED + local, LISTEN);
                    case UDP -> bound(Path.of("/proc/net/udp"), local, UDP_BOUND)
                            + bound(Path.of("/proc/net/udp6"), V4_MAPPED + local, UDP_BOUND);
                };
            } catch (IOException e) {
                return Result.err(new ImageError.Io("reading the kernel's socket tables", e.toString()));
            }
            if (bound > 0) {
                return Result.ok(bound);
            }
            Thread.sleep(20);
        }
        return Result.err(new ImageError.TrainingFailed("no " + protocol + " socket on " + address + ":" + port + " within "
                + SERVING_WITHIN.toSeconds() + " s" + tail(log)));
    }

    /** proc(5)'s state column of a listening TCP socket (TCP_LISTEN in the kernel's tcp_states.h). */
    private static final String LISTEN = "0A";

    /** The state column of a bound UDP socket: TCP_CLOSE, which the kernel reuses for UDP. */
    private static final String UDP_BOUND = "07";

    /**
     * An IPv6 socket bound to an IPv4 address (Netty's native transport opens IPv6 sockets) shows it
     * in /proc/net/tcp6 as ::ffff:A.B.C.D (RFC 4291 2.5.5.2), in the same host-order words.
     */
    static final String V4_MAPPED = "0000000000000000FFFF0000";

    /** proc(5): the local address column is the IPv4 address as a host-order (little-endian) hex word. */
    static String procAddress(String address) {
        byte[] b = Inet4Address.ofLiteral(address).getAddress();
        return HexFormat.of().withUpperCase().formatHex(new byte[] {b[3], b[2], b[1], b[0]});
    }

    /**
     * The sockets of {@code table} whose local address and port are {@code local} in state
     * {@code state} (proc(5): the port is four hex digits after the colon).
     */
    private static int bound(Path table, String local, String state) throws IOException {
        try (Stream<String> lines = Files.lines(table)) {
            return (int) lines.skip(1).map(String::strip).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].equals(local) && f[3].equals(state))
                    .count();
        }
    }

    /** {@code GET /metrics} (HTTP/1.1, RFC 9112) answers 200 with the build's info metric, which every unikernel has. */
    private static Result<Integer, ImageError> metrics(String address, Path log) {
        byte[] request = ("GET /metrics HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(address), METRICS_PORT), 5000);
            socket.setSoTimeout(10000);
            socket.getOutputStream().write(request);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200") || !answer.contains("jmirage_build_info")) {
                return Result.err(new ImageError.TrainingFailed("GET /metrics on " + address + ":" + METRICS_PORT
                        + " answered " + answer.lines().findFirst().orElse("nothing") + tail(log)));
            }
            return Result.ok(1);
        } catch (IOException e) {
            return Result.err(new ImageError.TrainingFailed("GET /metrics on " + address + ":" + METRICS_PORT + ": " + e + tail(log)));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : "; its last lines: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void remove(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A scratch folder under the system's temporary folder: left for the system to clear.
        }
    }
}
