package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.dnssec.Dnssec;
import jmirage.resolver.validate.Rollover.State;
import org.junit.jupiter.api.Test;

class RolloverTest {

    static final SecureRandom RANDOM = new SecureRandom();
    final SigningKey k1 = SigningKey.generate(RANDOM);
    final SigningKey k2 = SigningKey.generate(RANDOM);
    final SigningKey k3 = SigningKey.generate(RANDOM);
    final Instant t0 = SigningKey.START;

    static Instant days(Instant from, long days) {
        return from.plus(Duration.ofDays(days));
    }

    Rollover.TrustPoint trusting(SigningKey... keys) {
        return Rollover.TrustPoint.configured(Name.ROOT, List.of(), List.of(keys).stream().map(SigningKey::key).toList(), t0);
    }

    static Rollover.TrustPoint observe(Rollover.TrustPoint tp, List<Record> answer, Instant at) {
        return Rollover.observe(tp, answer, at).orElseThrow().trustPoint();
    }

    /** The DNSKEY RRset of {@code keys}, each signing it as itself. */
    static List<Record> published(SigningKey... keys) {
        List<SigningKey> all = List.of(keys);
        return SigningKey.answer(all.stream().map(SigningKey::key).toList(), all, all.stream().map(SigningKey::key).toList());
    }

    static Optional<State> state(Rollover.TrustPoint tp, SigningKey k) {
        return tp.key(k.tag()).map(Rollover.Tracked::state);
    }

    static List<Rdata.Dnskey> trusted(Rollover.TrustPoint tp) {
        return tp.anchor().keys();
    }

    @Test
    void aNewKeyIsTrustedOnlyOnceTheAddHoldDownHasPassed() {
        List<Record> both = SigningKey.answer(List.of(k1.key(), k2.key()), List.of(k1), List.of(k1.key()));
        Rollover.TrustPoint tp = observe(trusting(k1), both, t0);
        assertEquals(Optional.of(State.ADDPEND), state(tp, k2));
        tp = observe(tp, both, days(t0, 15));
        tp = observe(tp, both, days(t0, 30).minusSeconds(1));
        assertEquals(Optional.of(State.ADDPEND), state(tp, k2));
        assertEquals(List.of(k1.key()), trusted(tp));
        tp = observe(tp, both, days(t0, 30));
        assertEquals(Optional.of(State.VALID), state(tp, k2));
        assertEquals(List.of(k1.key(), k2.key()), trusted(tp));
    }

    @Test
    void aKeyMissingFromOneProbeStartsItsHoldDownAgain() {
        List<Record> both = SigningKey.answer(List.of(k1.key(), k2.key()), List.of(k1), List.of(k1.key()));
        Rollover.TrustPoint tp = observe(trusting(k1), both, t0);
        tp = observe(tp, published(k1), days(t0, 10));
        assertEquals(Optional.empty(), state(tp, k2), "back to START");
        tp = observe(tp, both, days(t0, 20));
        tp = observe(tp, both, days(t0, 35));
        assertEquals(Optional.of(State.ADDPEND), state(tp, k2), "35 days after first seen, but only 15 continuous");
        tp = observe(tp, both, days(t0, 50));
        assertEquals(Optional.of(State.VALID), state(tp, k2));
    }

    @Test
    void aRevokedKeyIsUntrustedAtOnceThenRemovedAfterTheRemoveHoldDown() {
        Rollover.TrustPoint tp = trusting(k1, k2);
        List<Record> revoking = SigningKey.answer(List.of(k1.revoked(), k2.key()), List.of(k1, k2), List.of(k1.revoked(), k2.key()));
        Rollover.Observed o = Rollover.observe(tp, revoking, days(t0, 1)).orElseThrow();
        assertEquals(Optional.of(State.REVOKED), state(o.trustPoint(), k1));
        assertEquals(List.of(k2.key()), trusted(o.trustPoint()));
        assertTrue(o.transitions().contains(new Rollover.Transition(k1.tag(), Optional.of(State.VALID), Optional.of(State.REVOKED))));
        tp = observe(o.trustPoint(), revoking, days(t0, 30));
        assertEquals(Optional.of(State.REVOKED), state(tp, k1));
        tp = observe(tp, revoking, days(t0, 31));
        assertEquals(Optional.of(State.REMOVED), state(tp, k1));
        tp = observe(tp, published(k2), days(t0, 32));
        assertEquals(Optional.empty(), state(tp, k1), "forgotten once unpublished");
        assertEquals(List.of(k2.key()), trusted(tp));
    }

    @Test
    void aRevokeBitWithoutTheKeysOwnSignatureIsIgnored() {
        List<Record> forged = SigningKey.answer(List.of(k1.revoked(), k2.key()), List.of(k2), List.of(k2.key()));
        Rollover.TrustPoint tp = observe(trusting(k1, k2), forged, t0);
        assertEquals(Optional.of(State.MISSING), state(tp, k1), "not revoked: missing, and still trusted");
        assertEquals(List.of(k1.key(), k2.key()), trusted(tp));
        tp = observe(tp, published(k1, k2), days(t0, 1));
        assertEquals(Optional.of(State.VALID), state(tp, k1));
    }

    @Test
    void aStandByKeyTakesOverWhenTheActiveKeyIsRevoked() {
        List<Record> withStandBy = SigningKey.answer(List.of(k1.key(), k2.key()), List.of(k1), List.of(k1.key()));
        Rollover.TrustPoint tp = observe(trusting(k1), withStandBy, t0);
        tp = observe(tp, withStandBy, days(t0, 31));
        assertEquals(Optional.of(State.VALID), state(tp, k2));
        List<Record> rolled = SigningKey.answer(List.of(k1.revoked(), k2.key()), List.of(k1, k2), List.of(k1.revoked(), k2.key()));
        tp = observe(tp, rolled, days(t0, 32));
        assertEquals(List.of(k2.key()), trusted(tp));
        // only the stand-by signs from now on, and it vouches for the next key
        List<Record> next = SigningKey.answer(List.of(k2.key(), k3.key()), List.of(k2), List.of(k2.key()));
        tp = observe(tp, next, days(t0, 33));
        assertEquals(Optional.of(State.ADDPEND), state(tp, k3));
        assertEquals(List.of(k2.key()), trusted(tp));
    }

    @Test
    void anRrsetNoTrustedKeySignsChangesNothing() {
        Rollover.TrustPoint tp = trusting(k1);
        List<Record> foreign = SigningKey.answer(List.of(k1.key(), k2.key()), List.of(k2), List.of(k2.key()));
        assertInstanceOf(Rollover.RolloverError.NotValidated.class, err(Rollover.observe(tp, foreign, t0)));
        List<Record> unsigned = foreign.stream().filter(r -> r.rdata() instanceof Rdata.Dnskey).toList();
        assertInstanceOf(Rollover.RolloverError.NotValidated.class, err(Rollover.observe(tp, unsigned, t0)));
        assertInstanceOf(Rollover.RolloverError.NoKeys.class, err(Rollover.observe(tp, List.of(), t0)));
        // the only trusted key revoked: nothing left to validate the next RRset with
        Rollover.TrustPoint revoked = observe(tp, SigningKey.answer(List.of(k1.revoked()), List.of(k1), List.of(k1.revoked())), t0);
        assertTrue(revoked.anchor().isEmpty());
        assertInstanceOf(Rollover.RolloverError.NotValidated.class, err(Rollover.observe(revoked, published(k2), t0)));
    }

    @Test
    void aKeyMatchingAConfiguredDsIsTrustedAtFirstSight() {
        Rdata.Ds ds = Dnssec.ds(Name.ROOT, k1.key(), Dnssec.DIGEST_SHA256).orElseThrow();
        Rollover.TrustPoint tp = Rollover.TrustPoint.configured(Name.ROOT, List.of(ds), List.of(), t0);
        assertEquals(List.of(ds), tp.anchor().ds());
        tp = observe(tp, SigningKey.answer(List.of(k1.key(), k2.key()), List.of(k1), List.of(k1.key())), t0);
        assertEquals(Optional.of(State.VALID), state(tp, k1));
        assertEquals(Optional.of(State.ADDPEND), state(tp, k2));
        assertEquals(List.of(), tp.pendingDs());
    }

    @Test
    void theStateFilePrintsAndReadsBackTheSameTrustPoints() {
        Rdata.Ds ds = Dnssec.ds(Name.of("example."), k3.key(), Dnssec.DIGEST_SHA256).orElseThrow();
        List<Record> three = SigningKey.answer(List.of(k1.revoked(), k2.key(), k3.key()), List.of(k1, k2),
                List.of(k1.revoked(), k2.key()));
        Rollover.TrustPoint root = observe(trusting(k1, k2), three, t0);
        List<Rollover.TrustPoint> tps = List.of(root, Rollover.TrustPoint.configured(Name.of("example."), List.of(ds), List.of(), t0));
        String text = RolloverFile.print(tps);
        assertEquals(tps, RolloverFile.parse(text).orElseThrow(), text);
        assertTrue(text.contains("state=REVOKED") && text.contains("state=ADDPEND"), text);
    }

    @Test
    void aBadStateLineIsRefusedWithItsLine() {
        String line = Record.in(Name.ROOT, 0, k1.key()) + " ;; state=SLEEPY since=2026-01-01T00:00:00Z";
        var e = err(RolloverFile.parse("; header\n" + line + "\n"));
        assertEquals(2, e.line());
        assertInstanceOf(RolloverFile.FileError.BadState.class, e);
        assertInstanceOf(RolloverFile.FileError.NotAnchor.class, err(RolloverFile.parse(". 0 IN A 192.0.2.1\n")));
        assertEquals(1, err(RolloverFile.parse(". 0 IN DNSKEY 257 3 15 !!!\n")).line());
    }

    @Test
    void probesComeBetweenAnHourAndFifteenDaysApart() {
        Instant now = t0;
        assertEquals(Duration.ofDays(1), Rollover.activeRefresh(172800, days(now, 10), now));
        assertEquals(Duration.ofDays(15), Rollover.activeRefresh(86400 * 60, days(now, 60), now));
        assertEquals(Duration.ofHours(1), Rollover.activeRefresh(600, days(now, 10), now));
        assertEquals(Duration.ofHours(1), Rollover.retry(0, now, now));
        assertEquals(Duration.ofDays(1), Rollover.retry(86400 * 30, days(now, 30), now));
    }

    static <E> E err(Result<?, E> r) {
        return switch (r) {
            case Result.Err<?, E>(E e) -> e;
            case Result.Ok<?, E> ok -> throw new AssertionError("expected an error, got " + ok);
        };
    }
}
