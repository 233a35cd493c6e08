package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;

/**
 * How one unikernel is booted and exercised for its AOT cache's training run: the boot parameters
 * besides {@code --listen} and {@code --kv}, what its store must hold to boot at all (a dhcpd.conf,
 * root hints), how the run knows it serves, and one request of the kind it exists to answer.
 *
 * <p>Every port is above 1024, so the training needs no privilege, and every address is the training
 * address: the resolver's root hints name it, on port 53 where nothing listens, so its recursion
 * stays on this machine.
 *
 * @param parameters boot parameters after {@code run NAME --listen ADDR --kv STORE}
 * @param seeds files of its {@code dir:} store (key, where in the project it is copied from, or its text
 *     with the training address for {@value #ADDRESS}); none: the store starts empty
 * @param ready how the run knows it serves
 * @param exercise the request that takes the path of real work, or none
 */
record TrainingRecipe(List<String> parameters, Map<String, Seed> seeds, Ready ready, Exercise exercise) {

    /** Stands for the training address in a seed's text. */
    static final String ADDRESS = "@ADDRESS@";

    TrainingRecipe {
        parameters = List.copyOf(parameters);
        seeds = Map.copyOf(seeds);
    }

    /** A file the store starts with. */
    sealed interface Seed {
        /** A file of the project, e.g. the sample configuration its README tells users to copy. */
        record ProjectFile(String path) implements Seed {}

        /** A text, {@value TrainingRecipe#ADDRESS} replaced by the training address. */
        record Text(String text) implements Seed {}

        default byte[] bytes(Path projectRoot, String address) throws IOException {
            return switch (this) {
                case ProjectFile(String path) -> Files.readAllBytes(projectRoot.resolve(path));
                case Text(String text) -> text.replace(ADDRESS, address).getBytes(StandardCharsets.UTF_8);
            };
        }
    }

    /** How the training run knows the unikernel serves. */
    sealed interface Ready {
        /**
         * A socket of this protocol bound to this port of the training address (the kernel's socket
         * tables): the socket the exercise uses, since a unikernel may open its other sockets first
         * (echo binds UDP port 7 before its TCP listener on the same port).
         */
        record SocketBound(Protocol protocol, int port) implements Ready {}

        /** Which of the kernel's socket tables a {@link SocketBound} is looked for in. */
        enum Protocol {
            /** A listening TCP socket. */
            TCP,
            /** A bound UDP socket. */
            UDP
        }

        /** A line of its output containing this text (a unikernel without a network). */
        record Printed(String text) implements Ready {}
    }

    /** One request to the serving unikernel; answers how many it made. */
    @FunctionalInterface
    interface Exercise {
        Result<Integer, String> run(String address);
    }

    /**
     * The recipe of each unikernel of the catalogue, by name. None for another: a new unikernel gets
     * its own here, since no default boots every unikernel (one needs a configuration in its store,
     * another a parameter) and a cache recorded from a failed boot would be worse than none.
     */
    static Optional<TrainingRecipe> of(String unikernel) {
        return Optional.ofNullable(switch (unikernel) {
            case "echo" -> new TrainingRecipe(List.of("--port-base", "20000"), Map.of(),
                    new Ready.SocketBound(Ready.Protocol.TCP, 20_007),
                    address -> echo(address, 20_007));
            case "dns-authoritative" -> new TrainingRecipe(List.of("--port", "20053"), Map.of(),
                    new Ready.SocketBound(Ready.Protocol.UDP, 20_053),
                    address -> dnsQuery(address, 20_053, true));
            // Without RD the resolver answers REFUSED at once (no cache snooping); with it, it would
            // wait for the silent root.
            case "dns-resolver" -> new TrainingRecipe(
                    List.of("--port", "20153", "--root-hints", "root.hints", "--auto-trust-anchor", ""),
                    Map.of("root.hints", new Seed.Text(". 3600000 NS a.root.test.\na.root.test. 3600000 A " + ADDRESS + "\n")),
                    new Ready.SocketBound(Ready.Protocol.UDP, 20_153), address -> dnsQuery(address, 20_153, false));
            // The sample's link is 10.77.0.0/24 with the server at 10.77.0.2 (dhcpd.conf.sample).
            case "dhcp-server" -> new TrainingRecipe(List.of("--port", "20067", "--client-port", "20068", "--http-port",
                    "20080", "--server-address", "10.77.0.2"),
                    Map.of("dhcpd.conf", new Seed.ProjectFile("dhcp-server/dhcpd.conf.sample")),
                    new Ready.SocketBound(Ready.Protocol.TCP, 20_080),
                    address -> httpGet(address, 20_080));
            case "btc-pinata" -> new TrainingRecipe(List.of("--test", "--http-port", "20180", "--https-port", "20443"),
                    Map.of(), new Ready.SocketBound(Ready.Protocol.TCP, 20_180), address -> httpGet(address, 20_180));
            case "caldav" -> new TrainingRecipe(List.of("--http-port", "20280", "--https-port", "20643"), Map.of(),
                    new Ready.SocketBound(Ready.Protocol.TCP, 20_280), address -> httpGet(address, 20_280));
            // An empty store is an empty site (index, feed, 404 page), served all the same.
            case "canopy" -> new TrainingRecipe(List.of("--http-port", "20380", "--refresh-every", "0"), Map.of(),
                    new Ready.SocketBound(Ready.Protocol.TCP, 20_380), address -> httpGet(address, 20_380));
            case "speaking-clock" -> new TrainingRecipe(List.of(), Map.of(), new Ready.Printed("info speaking-clock: "),
                    _ -> Result.ok(0));
            default -> null;
        });
    }

    /** One TCP round trip on the echo port (RFC 862). */
    static Result<Integer, String> echo(String address, int port) {
        byte[] line = "jmirage training run\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), 5000);
            socket.setSoTimeout(10000);
            OutputStream out = socket.getOutputStream();
            out.write(line);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(line.length);
            if (!Arrays.equals(answer, line)) {
                return Result.err("echo answered " + new String(answer, StandardCharsets.US_ASCII).strip());
            }
            return Result.ok(1);
        } catch (IOException e) {
            return Result.err("echo on " + address + ":" + port + ": " + e);
        }
    }

    /**
     * A query for example.org. A, ID 0x4a4d, one question (RFC 1035 4.1.1, 4.1.2), with or without
     * RD; any response to it (same ID, QR set) will do, whatever its rcode.
     */
    static Result<Integer, String> dnsQuery(String address, int port, boolean recursionDesired) {
        byte[] query = HexFormat.of().parseHex("4a4d" + (recursionDesired ? "0100" : "0000") + "0001" + "0000" + "0000"
                + "0000" + "076578616d706c65036f726700" + "00010001");
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(10000);
            socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(InetAddress.ofLiteral(address), port)));
            DatagramPacket answer = new DatagramPacket(new byte[512], 512);
            socket.receive(answer);
            byte[] data = answer.getData();
            if (answer.getLength() < 12 || data[0] != query[0] || data[1] != query[1] || (data[2] & 0x80) == 0) {
                return Result.err("the DNS answer on " + address + ":" + port + " is no response to the query");
            }
            return Result.ok(1);
        } catch (IOException e) {
            return Result.err("a DNS query to " + address + ":" + port + ": " + e);
        }
    }

    /** {@code GET /} over HTTP/1.1 (RFC 9112); any status line will do. */
    static Result<Integer, String> httpGet(String address, int port) {
        byte[] request = "GET / HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), 5000);
            socket.setSoTimeout(10000);
            socket.getOutputStream().write(request);
            byte[] status = socket.getInputStream().readNBytes(9);
            if (!new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 ")) {
                return Result.err("no HTTP/1.1 status line from " + address + ":" + port);
            }
            return Result.ok(1);
        } catch (IOException e) {
            return Result.err("GET / on " + address + ":" + port + ": " + e);
        }
    }
}
