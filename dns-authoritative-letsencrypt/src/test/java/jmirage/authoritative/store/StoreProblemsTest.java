package jmirage.authoritative.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.dns.Name;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, items 2 and 6: boot, reload and {@code ./unikernel check} read the store's files the same
 * way, and say which file and line is refused; the public TEST key is named at every boot.
 */
class StoreProblemsTest {

    static final Name ORG = Name.of("example.org.");
    static final Name NET = Name.of("example.net.");
    final Simulation sim = new Simulation(11);

    <T> T run(Promise<T> p) {
        return sim.scheduler().runUntil(p).value();
    }

    ZoneStore open(Kv kv) {
        return run(ZoneStore.open(kv, Optional.empty(), sim.scheduler(), sim.log("zones", LogLevel.DEBUG), Duration.ZERO))
                .orElseThrow();
    }

    List<String> logged(LogLevel level) {
        return sim.records().stream().filter(r -> r.level() == level).map(LogRecord::message).toList();
    }

    static String zone(String origin, long serial, String extra) {
        return """
                $ORIGIN %s
                $TTL 300
                @   SOA ns hostmaster %d 3600 600 86400 60
                @   NS  ns
                ns  A   192.0.2.53
                %s
                """.formatted(origin, serial, extra);
    }

    /** A zone whose line 6 has an A record that is no address. */
    static final String BROKEN_AT_6 = zone("example.net.", 1, "www A 192.0.2.300");
    static final String KEYS_BROKEN_AT_2 = """
            ; line 1
            ops._update.example.org. DNSKEY 0 3 163 !!!notbase64
            """;

    MemKv store(String... fileAndText) {
        MemKv kv = new MemKv(sim.clock());
        for (int i = 0; i < fileAndText.length; i += 2) {
            run(kv.set(Key.of(fileAndText[i]), Bytes.utf8(fileAndText[i + 1])));
        }
        return kv;
    }

    @Test
    void checkNamesEveryBadFileWithItsLineAndWritesNothing() {
        MemKv kv = store("example.org", zone("example.org.", 1, ""), "example.net", BROKEN_AT_6, "_keys", KEYS_BROKEN_AT_2,
                "no..zone", zone("example.org.", 1, ""), "_secondary/x", "not read");
        List<ConfigProblem> problems = run(ZoneStore.check(kv)).problems();
        assertEquals(List.of("_keys:2", "example.net:6", "no..zone:0"),
                problems.stream().map(p -> p.source() + ":" + p.line()).sorted().toList(), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.describe().contains("<input>")), problems.toString());

        MemKv empty = new MemKv(sim.clock());
        assertEquals(List.of(), run(ZoneStore.check(empty)).problems());
        assertTrue(run(empty.list(Key.ROOT)).map(List::isEmpty).orElse(true), "the check seeded nothing");
    }

    @Test
    void aBrokenZoneAtBootIsNotServedAndNamedWhileTheOthersAre() {
        ZoneStore store = open(store("example.org", zone("example.org.", 1, ""), "example.net", BROKEN_AT_6));
        assertTrue(store.zones().get(ORG).isPresent());
        assertTrue(store.zones().get(NET).isEmpty());
        assertEquals(List.of(new ConfigProblem("example.net", 6, store.problems().getFirst().reason())), store.problems());
        assertTrue(logged(LogLevel.ERROR).stream().anyMatch(l -> l.contains("example.net:6:") && l.contains("NOT SERVED")),
                logged(LogLevel.ERROR).toString());
    }

    @Test
    void aReloadKeepsTheOldVersionOfABrokenZoneAndSaysWhy() {
        MemKv kv = store("example.org", zone("example.org.", 1, ""), "example.net", zone("example.net.", 1, ""));
        ZoneStore store = open(kv);
        ZoneManagementReload reload = () -> run(store.reload()).map(u -> store.problems());

        run(kv.set(Key.of("example.net"), Bytes.utf8(BROKEN_AT_6)));
        run(kv.set(Key.of("example.org"), Bytes.utf8(zone("example.org.", 2, ""))));
        assertEquals(List.of("example.net:6"), reload.problems().stream().map(p -> p.source() + ":" + p.line()).toList());
        assertEquals(1, store.zones().get(NET).orElseThrow().serial(), "the old example.net still served");
        assertEquals(2, store.zones().get(ORG).orElseThrow().serial(), "the good file is taken at once");

        run(kv.set(Key.of("example.net"), Bytes.utf8(zone("example.net.", 2, ""))));
        assertEquals(List.of(), reload.problems());
        assertEquals(2, store.zones().get(NET).orElseThrow().serial());
    }

    @FunctionalInterface
    interface ZoneManagementReload {
        Result<List<ConfigProblem>, StoreError> reloaded();

        default List<ConfigProblem> problems() {
            return reloaded().orElseThrow();
        }
    }

    @Test
    void thePublicTestKeyIsNamedAtEveryBootUntilReplaced() {
        MemKv kv = new MemKv(sim.clock());
        open(kv); // seeds the sample
        open(kv); // a later boot of the same store
        List<String> warnings = logged(LogLevel.WARN).stream().filter(l -> l.contains("TEST key") && l.contains("is active")).toList();
        assertEquals(2, warnings.size(), logged(LogLevel.WARN).toString());
        assertTrue(warnings.getFirst().contains("test._transfer.example.test., test._update.example.test."), warnings.getFirst());

        run(kv.set(Key.of("_keys"), Bytes.utf8("ops._update.example.test. DNSKEY 0 3 163 c2VjcmV0IG9mIHRoZSBvcGVyYXRvcg==\n")));
        open(kv);
        assertEquals(2, logged(LogLevel.WARN).stream().filter(l -> l.contains("TEST key") && l.contains("is active")).count());
    }
}
