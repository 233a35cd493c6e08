package jmirage.resolver.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jmirage.resolver.interop.Hierarchy;
import jmirage.resolver.interop.OurResolver;
import jmirage.resolver.interop.PeerResolvers;
import jmirage.resolver.interop.PeerResolvers.UnderTest;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of scripts/bench-resolver's measurement: the hierarchy with a zone of 200 names, our
 * resolver (in-process) and Unbound on it, each asked every name once (cold: resolved and
 * validated), then dnsperf for 2 s over the same names (cached). It fails when ours answers nothing
 * or loses most queries; the figures it prints are not the benchmark (scripts/bench-resolver, with
 * ours as its own process, is).
 */
@Tag("bench")
@Tag("peer")
class ResolverBenchTest {

    static final int NAMES = 200;

    @TempDir
    Path temp;

    /** The number after {@code label} in dnsperf's report. */
    static double figure(String report, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s*([0-9.]+)").matcher(report);
        if (!m.find()) {
            throw new AssertionError("no '" + label + "' in dnsperf's report:\n" + report);
        }
        return Double.parseDouble(m.group(1));
    }

    private static Ran dnsperf(UnderTest resolver, Path names, String... run) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("dnsperf", "-s",
                resolver.address().getAddress().getHostAddress(), "-d", names.toString(), "-q", "50", "-t", "5"));
        argv.addAll(java.util.List.of(run));
        return Command.of(argv).timeout(Duration.ofSeconds(60)).run().ok();
    }

    @Test
    void oursAnswersCachedNamesUnderLoad() throws Exception {
        Sh.requireCommand("dnsperf", "dnsperf");
        Path names = temp.resolve("names");
        Files.writeString(names, IntStream.range(0, NAMES).mapToObj(i -> Hierarchy.bulkName(i) + " A").collect(Collectors.joining("\n", "", "\n")));
        try (Hierarchy hierarchy = Hierarchy.start(temp.resolve("hierarchy"), NAMES);
                UnderTest unbound = PeerResolvers.unbound(temp.resolve("unbound"), hierarchy, PeerResolvers.resolverAddress(1), 16);
                UnderTest ours = OurResolver.start(hierarchy, PeerResolvers.resolverAddress(3), 0, 0)) {
            StringBuilder summary = new StringBuilder();
            for (UnderTest r : java.util.List.of(unbound, ours)) {
                String cold = dnsperf(r, names, "-n", "1").out();
                String warm = dnsperf(r, names, "-l", "2", "-c", "2").out();
                summary.append(r.name()).append(": cold ").append(figure(cold, "Queries per second:")).append(" q/s, warm ")
                        .append(figure(warm, "Queries per second:")).append(" q/s, lost ").append(figure(warm, "Queries lost:"))
                        .append('\n');
                if (r == ours) {
                    assertTrue(figure(cold, "Queries completed:") >= NAMES * 0.9, "ours resolved most names once:\n" + cold + ours.log().get());
                    double completed = figure(warm, "Queries completed:");
                    assertTrue(completed > 0, "ours answered under load:\n" + warm);
                    assertTrue(figure(warm, "Queries lost:") < completed, "ours lost fewer than it answered:\n" + warm);
                }
            }
            System.out.println(summary);
        }
    }
}
