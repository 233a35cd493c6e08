package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import jmirage.dns.Name;

/**
 * Arbitrary text as a hosts file, read as a blocklist and as local data: only entries and typed
 * errors come out, every error's line is a line of the text, entries come in line order, and time
 * stays in proportion to the text.
 */
class HostsFileFuzzTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "20s")
    void hostsFilesGiveEntriesAndTypedErrorsOnly(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        long start = THREADS.getCurrentThreadCpuTime();
        HostsFile.Parsed parsed = HostsFile.parse(text);
        Blocklist list = new Blocklist.Builder().add("fuzz", parsed.entries()).build();
        LocalData.Builder local = new LocalData.Builder();
        var localErrors = local.hosts(parsed.entries());
        LocalData data = local.build();
        long elapsed = THREADS.getCurrentThreadCpuTime() - start;
        assertTrue(elapsed < 1_000_000_000L + 200_000L * text.length(), "took " + elapsed + " ns of CPU");
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        int previous = 0;
        for (HostsFile.Entry e : parsed.entries()) {
            assertTrue(e.line() > previous && e.line() <= lines && !e.names().isEmpty(), e.toString());
            previous = e.line();
            for (Name n : e.names()) {
                list.blockedBy(n);
            }
        }
        for (HostsError e : parsed.errors()) {
            assertTrue(e.line() >= 1 && e.line() <= lines && !e.problem().isEmpty(), e.toString());
        }
        localErrors.forEach(e -> assertTrue(e.line() >= 1 && e.line() <= lines, e.toString()));
        assertTrue(list.size() + list.skipped() >= 0 && data.hostNames() >= 0);
    }
}
