package jmirage.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;

/**
 * The real parser of the Prometheus text format, for tests: {@code text_string_to_metric_families}
 * of the {@code prometheus_client} Python package, from Debian ({@code python3-prometheus-client},
 * which installs for Debian's {@code /usr/bin/python3}, not for another python3 on the PATH). It
 * reads the text (or fetches a URL) and prints one line per family and per sample; strings come
 * back as hex of their UTF-8 bytes, so nothing is lost on the way.
 */
final class PrometheusParser {

    static final String PYTHON = "/usr/bin/python3";

    /** A sample as the parser read it: the family's name and type, the sample's name, labels and value. */
    record ParsedSample(String family, String type, String name, Map<String, String> labels, double value) {}

    private static final String SCRIPT = """
            import sys, urllib.request
            from prometheus_client.parser import text_string_to_metric_families
            if len(sys.argv) > 1:
                with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
                    print("content-type", response.headers["Content-Type"].encode().hex())
                    text = response.read().decode("utf-8")
            else:
                text = sys.stdin.buffer.read().decode("utf-8")
            h = lambda s: s.encode("utf-8").hex()
            for family in text_string_to_metric_families(text):
                for sample in family.samples:
                    labels = ",".join(h(k) + ":" + h(v) for k, v in sorted(sample.labels.items()))
                    print("sample", h(family.name), family.type, h(sample.name), labels or "-", repr(sample.value))
            """;

    /** What one run of the parser read. */
    record Parsed(String contentType, List<ParsedSample> samples) {

        /** The value of the sample named {@code name} with exactly these labels. */
        double value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                    .mapToDouble(ParsedSample::value).findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples));
        }
    }

    private PrometheusParser() {}

    /** Fetches {@code url} with Python's urllib and parses the answer. */
    static Parsed scrape(String url) throws IOException, InterruptedException {
        return scrape(List.of(), url);
    }

    /** The same, with Python run through {@code wrapper} ({@code ip netns exec NS}, say). */
    static Parsed scrape(List<String> wrapper, String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(PYTHON, "-c", SCRIPT, url));
        return run(command, null);
    }

    /** Parses {@code text}. */
    static Parsed parse(String text) throws IOException, InterruptedException {
        return run(List.of(PYTHON, "-c", SCRIPT), text);
    }

    private static Parsed run(List<String> command, String input) throws IOException, InterruptedException {
        Ran python = Command.of(command).stdin(input == null ? "" : input).run();
        if (!python.succeeded()) {
            throw new AssertionError("the Prometheus parser failed (is python3-prometheus-client installed?"
                    + " scripts/install-test-peers installs it):\n" + python.describe());
        }
        String output = python.out();
        String contentType = null;
        List<ParsedSample> samples = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] fields = line.split(" ");
            switch (fields[0]) {
                case "content-type" -> contentType = unhex(fields[1]);
                case "sample" -> {
                    Map<String, String> labels = new LinkedHashMap<>();
                    if (!fields[4].equals("-")) {
                        for (String pair : fields[4].split(",")) {
                            String[] kv = pair.split(":", -1);
                            labels.put(unhex(kv[0]), unhex(kv[1]));
                        }
                    }
                    samples.add(new ParsedSample(unhex(fields[1]), fields[2], unhex(fields[3]), labels,
                            Double.parseDouble(fields[5].replace("inf", "Infinity").replace("nan", "NaN"))));
                }
                default -> throw new AssertionError("unexpected line from the parser: " + line);
            }
        }
        return new Parsed(contentType, samples);
    }

    private static String unhex(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }
}
