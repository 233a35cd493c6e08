package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.dns.Name;
import jmirage.dns.Record;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RFC 5011 2.4.1 over random probe schedules (gaps of an hour to ten days, the new key published or
 * not at each probe): the new key becomes trusted exactly at the first probe that ends an unbroken
 * run of probes that all saw it, at least two, spanning the 30-day add hold-down.
 */
class RolloverPropertiesTest {

    static final SigningKey K1 = SigningKey.generate(new SecureRandom());
    static final SigningKey K2 = SigningKey.generate(new SecureRandom());
    static final List<Record> WITH = SigningKey.answer(List.of(K1.key(), K2.key()), List.of(K1), List.of(K1.key()));
    static final List<Record> WITHOUT = SigningKey.answer(List.of(K1.key()), List.of(K1), List.of(K1.key()));

    record Probe(long gapHours, boolean published) {}

    @Provide
    Arbitrary<List<Probe>> schedules() {
        return Combinators.combine(Arbitraries.longs().between(1, 240), Arbitraries.of(true, true, true, false))
                .as(Probe::new).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 150)
    void theNewKeyIsTrustedOnlyAfterTheHoldDownOfContinuousPresence(@ForAll("schedules") List<Probe> schedule) {
        Rollover.TrustPoint tp = Rollover.TrustPoint.configured(Name.ROOT, List.of(), List.of(K1.key()), SigningKey.START);
        Instant now = SigningKey.START;
        Instant runStart = null;
        int runProbes = 0;
        boolean everTrusted = false;
        for (Probe p : schedule) {
            now = now.plus(Duration.ofHours(p.gapHours()));
            tp = Rollover.observe(tp, p.published() ? WITH : WITHOUT, now).orElseThrow().trustPoint();
            if (p.published()) {
                runStart = runProbes == 0 ? now : runStart;
                runProbes++;
            } else {
                runProbes = 0;
            }
            boolean trusted = tp.anchor().keys().contains(K2.key());
            if (!everTrusted) {
                boolean due = runProbes >= 2 && !now.isBefore(runStart.plus(Rollover.ADD_HOLD_DOWN));
                assertEquals(due, trusted, "at " + now + " after a run of " + runProbes + " probes from " + runStart);
            } else {
                assertEquals(true, trusted, "a VALID key stays trusted (MISSING when unpublished)");
            }
            everTrusted |= trusted;
        }
    }
}
