package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;

/**
 * Arbitrary bytes as a calendar's .index (a git remote can bring any): only values come out, and
 * what was read writes back to a file that reads the same.
 */
class ObjectIndexFileFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anIndexFileGivesValuesOnly(FuzzedDataProvider data) {
        Map<String, ObjectIndexFile.Known> read = ObjectIndexFile.decode(Bytes.adopt(data.consumeRemainingAsBytes()));
        List<ObjectIndexFile.Line> lines = new ArrayList<>();
        read.forEach((name, known) -> lines.add(new ObjectIndexFile.Line(name, known.etag(), known.index())));
        assertEquals(read, ObjectIndexFile.decode(ObjectIndexFile.encode(lines)));
    }
}
