package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary bytes as the files a git remote can bring into the store (htpasswd, shares, a
 * .sync-history, a .collection.xml): only values come out (a StoreError or the parsed file, never an exception), a
 * htpasswd has no more users than lines, a .sync-history that applies writes back to one that does, and a .collection.xml that decodes encodes back to a file
 * that decodes to the same properties.
 */
class StoreFilesFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void storeFilesGiveValuesOnly(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 3);
        Bytes input = Bytes.adopt(data.consumeRemainingAsBytes());
        switch (which) {
            case 0 -> {
                if (Users.parse(input) instanceof Result.Ok<Users, StoreError>(Users users)) {
                    assertTrue(users.names().size() <= input.toUtf8().split("\n", -1).length);
                }
            }
            case 1 -> {
                if (Shares.parse(input) instanceof Result.Ok<Shares, StoreError>(Shares shares)) {
                    assertEquals(Access.OWNER, shares.access("a", "a", "c"));
                }
            }
            case 2 -> {
                java.util.TreeMap<String, Resource> none = new java.util.TreeMap<>();
                if (SyncHistoryFile.resume(input, SyncLog.of(none)) instanceof Result.Ok<SyncLog, SyncHistoryFile.Refusal>(SyncLog log)) {
                    assertEquals(log.token(), SyncHistoryFile.resume(SyncHistoryFile.encode(log), SyncLog.of(none)).orElseThrow().token());
                }
            }
            default -> {
                if (PropertiesFile.decode(Layout.properties("u", "c"), input)
                        instanceof Result.Ok<PropertiesFile.Properties, StoreError>(PropertiesFile.Properties p)) {
                    Collection c = new Collection("u", "c", p.components(), p.deadProperties(), new java.util.TreeMap<>(),
                            SyncLog.of(new java.util.TreeMap<>()), p.created().orElse(java.time.Instant.EPOCH), java.time.Instant.EPOCH);
                    PropertiesFile.Properties again = PropertiesFile.decode(Layout.properties("u", "c"), Layout.encodeProperties(c)).orElseThrow();
                    assertEquals(p.components(), again.components());
                    assertEquals(p.deadProperties().keySet(), again.deadProperties().keySet());
                }
            }
        }
    }
}
