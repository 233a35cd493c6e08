package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jmirage.core.Result;

/**
 * The training run of an AOT cache (JEP 514's one step: {@code -XX:AOTCacheOutput}): the image's own
 * runtime boots the unikernel on the training address with an in-memory store and its metrics
 * endpoint on port {@value #METRICS_PORT}, waits until it serves (a socket of its own bound to that
 * address), exercises it where an exercise is known (echo: one TCP round trip; dns-authoritative: one
 * UDP query), reads its metrics once, and stops it with SIGTERM, as an operator would.
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

    static Result<Path, ImageError> record(ImageRequest request, Path image, List<String> classPath) {
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
            return train(request, image, classPath, cache, scratch);
        } finally {
            remove(scratch);
        }
    }

    private static Result<Path, ImageError> train(ImageRequest request, Path image, List<String> classPath, Path cache,
            Path scratch) {
        List<String> command = new ArrayList<>();
        command.add(image.resolve("runtime").resolve("bin").resolve("java").toString());
        command.add("-XX:AOTCacheOutput=" + cache);
        command.addAll(DirImage.jvmOptions(request));
        // The scratch folder as project folder: nothing of the run is left in the image.
        command.add("-Djmirage.home=" + scratch);
        command.add("-cp");
        command.add(String.join(":", classPath.stream().map(p -> image.resolve(p).toString()).toList()));
        command.add(DirImage.MAIN_CLASS);
        command.addAll(List.of("run", request.unikernel(), "--listen", request.trainingAddress(), "--kv", "mem",
                "--metrics", request.trainingAddress() + ":" + METRICS_PORT));
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
            if (!Files.isRegularFile(cache)) {
                return Result.err(new ImageError.TrainingFailed("the JVM wrote no AOT cache" + tail(log)));
            }
            return Result.ok(cache);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.err(new ImageError.TrainingFailed("interrupted"));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * What the training does with a booted unikernel ({@code process}, started with {@code --listen
     * address --metrics address:}{@value #METRICS_PORT}; {@code log} its output): waits until it serves,
     * exercises it, reads its metrics. Also what the image tests do to see which jars a unikernel uses.
     */
    static Result<Integer, ImageError> serveAndExercise(String unikernel, String address, Process process, Path log)
            throws InterruptedException {
        return awaitServing(address, process, log)
                .flatMap(_ -> exercise(unikernel, address, log))
                .flatMap(_ -> metrics(address, log));
    }

    /**
     * Waits until the unikernel has a socket bound to the training address, other than its metrics
     * endpoint's (bound first, by the launcher): a TCP listener or a UDP socket in /proc/net/tcp,
     * udp, tcp6 or udp6 (the kernel's tables, proc(5)). Answers how many.
     */
    private static Result<Integer, ImageError> awaitServing(String address, Process process, Path log)
            throws InterruptedException {
        String local = procAddress(address);
        long deadline = System.nanoTime() + SERVING_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return Result.err(new ImageError.TrainingFailed("exited with status " + process.exitValue()
                        + " before serving" + tail(log)));
            }
            int bound;
            try {
                bound = bound(Path.of("/proc/net/tcp"), local, "0A") + bound(Path.of("/proc/net/udp"), local, "07")
                        + bound(Path.of("/proc/net/tcp6"), V4_MAPPED + local, "0A")
                        + bound(Path.of("/proc/net/udp6"), V4_MAPPED + local, "07");
            } catch (IOException e) {
                return Result.err(new ImageError.Io("reading the kernel's socket tables", e.toString()));
            }
            if (bound > 0) {
                return Result.ok(bound);
            }
            Thread.sleep(20);
        }
        return Result.err(new ImageError.TrainingFailed("no socket on " + address + " within "
                + SERVING_WITHIN.toSeconds() + " s" + tail(log)));
    }

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
     * The sockets of {@code table} whose local address is {@code local} in state {@code state}, on any
     * port but {@link #METRICS_PORT} (proc(5): the port is four hex digits after the colon).
     */
    private static int bound(Path table, String local, String state) throws IOException {
        String metrics = local + ":" + "%04X".formatted(METRICS_PORT);
        try (Stream<String> lines = Files.lines(table)) {
            return (int) lines.skip(1).map(String::strip).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].startsWith(local + ":") && !f[1].equals(metrics) && f[3].equals(state))
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

    /**
     * The exercise of the unikernels that have one: echo answers one TCP round trip (RFC 862);
     * dns-authoritative answers one UDP query (RFC 1035 4.1.1), whatever its answer (its store is empty).
     */
    private static Result<Integer, ImageError> exercise(String unikernel, String address, Path log) {
        return switch (unikernel) {
            case "echo" -> echo(address, log);
            case "dns-authoritative" -> dnsQuery(address, log);
            default -> Result.ok(0);
        };
    }

    private static Result<Integer, ImageError> echo(String address, Path log) {
        byte[] line = "jmirage training run\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(address), 7), 5000);
            socket.setSoTimeout(10000);
            OutputStream out = socket.getOutputStream();
            out.write(line);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(line.length);
            if (!Arrays.equals(answer, line)) {
                return Result.err(new ImageError.TrainingFailed("echo answered "
                        + new String(answer, StandardCharsets.US_ASCII).strip() + tail(log)));
            }
            return Result.ok(1);
        } catch (IOException e) {
            return Result.err(new ImageError.TrainingFailed("echo on " + address + ":7: " + e + tail(log)));
        }
    }

    /** A query for example.org. A: ID 0x4a4d, no flags, one question (RFC 1035 4.1.1, 4.1.2). */
    private static final byte[] DNS_QUERY = HexFormat.of().parseHex(
            "4a4d00000001000000000000" + "076578616d706c65036f726700" + "00010001");

    private static Result<Integer, ImageError> dnsQuery(String address, Path log) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(10000);
            socket.send(new DatagramPacket(DNS_QUERY, DNS_QUERY.length,
                    new InetSocketAddress(InetAddress.ofLiteral(address), 53)));
            DatagramPacket answer = new DatagramPacket(new byte[512], 512);
            socket.receive(answer);
            byte[] data = answer.getData();
            // The same ID, and QR set: a response (RFC 1035 4.1.1).
            if (answer.getLength() < 12 || data[0] != DNS_QUERY[0] || data[1] != DNS_QUERY[1] || (data[2] & 0x80) == 0) {
                return Result.err(new ImageError.TrainingFailed("the DNS answer on " + address + ":53 is no response to"
                        + " the query" + tail(log)));
            }
            return Result.ok(1);
        } catch (IOException e) {
            return Result.err(new ImageError.TrainingFailed("a DNS query to " + address + ":53: " + e + tail(log)));
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
