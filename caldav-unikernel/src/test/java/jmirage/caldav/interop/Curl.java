package jmirage.caldav.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;

/**
 * curl (Debian {@code curl}) as an operator uses it against a DAV server: a method, headers, a body,
 * Basic credentials. Run where the client side is ({@link ClientSide#command}), its files (what it
 * sends, the headers and body it got) in {@code folder}.
 */
final class Curl implements DavRequests {

    private final ClientSide side;
    private final Path folder;
    private int calls;

    Curl(ClientSide side, Path folder) {
        Sh.requireCommand("curl", "curl");
        this.side = side;
        this.folder = folder;
    }

    /** {@code method} on {@code path} (or a full URL) with {@code headers} (name, value, ...) and {@code body} sent as given. */
    @Override
    public Reply send(String method, String path, String body, String... headers) throws Exception {
        int n = ++calls;
        Path head = folder.resolve("curl-" + n + ".head");
        Path out = folder.resolve("curl-" + n + ".body");
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-u",
                ServerUnderTest.USER + ":" + ServerUnderTest.PASSWORD, "-X", method, "-D", head.toString(), "-o", out.toString()));
        for (int i = 0; i < headers.length; i += 2) {
            argv.addAll(List.of("-H", headers[i] + ": " + headers[i + 1]));
        }
        if (!body.isEmpty()) {
            Path in = folder.resolve("curl-" + n + ".in");
            Files.writeString(in, body);
            argv.addAll(List.of("--data-binary", "@" + in));
        }
        argv.add(side.server().url(path).toString());
        Ran ran = Command.of(side.command(argv)).timeout(Duration.ofSeconds(30)).run();
        if (!ran.succeeded()) {
            throw new AssertionError(ran.describe());
        }
        List<String> lines = Files.readAllLines(head);
        int status = Integer.parseInt(lines.getFirst().split(" ")[1]);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        return new Reply("curl -X " + method + " " + path + " " + String.join(" ", headers), body, status, fields,
                Files.exists(out) ? Files.readString(out) : "");
    }
}
