package jmirage.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Record;

/**
 * Arbitrary text into the master-file parser (with an $INCLUDE resolver that serves the same text,
 * so nesting is exercised): only a {@link ZoneFileError} value or records come out; the
 * records are bounded by the input (or by the $GENERATE cap), time is bounded per byte; what
 * parses prints back to text that parses to the same records.
 */
class MasterFileFuzzTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static boolean warmedUp;

    /**
     * Loads and compiles the parser's paths, so that the time bound measures parsing and not class
     * loading; on the first input rather than in a static block, because Jazzer's instrumentation
     * in a fuzzing run comes after the test class is loaded and throws away what was compiled.
     */
    private static void warmUp() {
        for (Class<?> c : ZoneFileError.class.getPermittedSubclasses()) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        String zone = TestData.read("zonefileEx2") + TestData.read("zonefileEx1")
                + "$GENERATE 1-2000 h$ A 192.0.2.1\n";
        for (int i = 0; i < 5; i++) {
            MasterFile.parse(zone, Name.of("example."), MasterFile.IncludeResolver.NONE);
        }
        warmedUp = true;
    }

    @FuzzTest(maxDuration = "20s")
    void parserReturnsValuesOnly(byte[] input) {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        if (!warmedUp) {
            warmUp();
        }
        // this thread's CPU time, not wall time: preemption and GC pauses on a loaded build machine
        // are not the parser's (wall time reached 7.5 s for a 65536-record $GENERATE at load 16)
        long start = THREADS.getCurrentThreadCpuTime();
        Result<List<Record>, ZoneFileError> r = MasterFile.parse(text, Name.of("example."),
                path -> path.equals("inc") ? Result.ok(text) : Result.err(new IncludeError.NotFound(path)));
        long elapsed = THREADS.getCurrentThreadCpuTime() - start;
        assertTrue(elapsed < 2_000_000_000L + 100_000L * text.length(), "parse took " + elapsed + " ns of CPU");
        switch (r) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> {
                assertTrue(e.line() >= 1);
                assertTrue(e.file().isEmpty() || e.file().get().equals("inc"), e.describe());
            }
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) -> {
                assertTrue(records.size() <= (long) (text.length() + 1) * (MasterFile.MAX_INCLUDE_DEPTH + 1)
                        || records.size() <= MasterFile.MAX_GENERATED + text.length(), "records: " + records.size());
                String printed = MasterFile.print(records);
                List<Record> again = MasterFile.parse(printed, Name.ROOT, MasterFile.IncludeResolver.NONE).orElseThrow();
                assertEquals(printed, MasterFile.print(again));
            }
        }
    }
}
