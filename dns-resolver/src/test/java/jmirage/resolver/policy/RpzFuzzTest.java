package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;

/**
 * Arbitrary text as a response policy zone and as a local zone: only a policy or typed errors with
 * a file come out, and a policy built from it decides for the names it holds and for others without
 * an exception, in time proportional to the text.
 */
class RpzFuzzTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Name ORIGIN = Name.of("rpz.test.");

    @FuzzTest(maxDuration = "20s")
    void policyZonesGiveAPolicyOrTypedErrors(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        long start = THREADS.getCurrentThreadCpuTime();
        Result<Policy, List<PolicyError>> built = Policy.of(new PolicyFiles(List.of(),
                List.of(new PolicyFiles.File("rpz.test", text)), List.of(new PolicyFiles.File("zone.test", text)), List.of()));
        switch (built) {
            case Result.Err<Policy, List<PolicyError>>(List<PolicyError> errors) -> errors.forEach(e -> {
                assertTrue(e.file().equals("rpz.test") || e.file().equals("zone.test"), e.describe());
                assertTrue(e.problem().line() >= 0, e.describe());
            });
            case Result.Ok<Policy, List<PolicyError>>(Policy policy) -> {
                var records = MasterFile.parse(text, ORIGIN, MasterFile.IncludeResolver.NONE).orElse(List.of());
                for (var r : records.subList(0, Math.min(records.size(), 50))) {
                    policy.decide(new Question(r.name(), Type.A));
                    policy.decide(new Question(r.name().prepend("x".getBytes(StandardCharsets.US_ASCII)).orElse(r.name()), r.type()));
                }
                policy.decide(new Question(Name.of("www.example."), Type.AAAA));
            }
        }
        long elapsed = THREADS.getCurrentThreadCpuTime() - start;
        assertTrue(elapsed < 2_000_000_000L + 200_000L * text.length(), "took " + elapsed + " ns of CPU");
    }
}
