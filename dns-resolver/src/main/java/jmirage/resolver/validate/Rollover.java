package jmirage.resolver.validate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;

/**
 * Automated updates of DNSSEC trust anchors (RFC 5011), pure: a trust point's state and the DNSKEY
 * RRset it publishes now, with its RRSIGs, in; the next state out. The RRset is used only when a
 * key trusted now (or one matching a configured DS) signs it, so the DNSKEYs may come from an
 * unvalidated fetch. Per key (section 4): a new key with the SEP flag is {@code ADDPEND} and
 * becomes {@code VALID} once seen at every probe for the add hold-down (30 days, section 2.4.1); a
 * trusted key that disappears is {@code MISSING} and still trusted; a key that appears with the
 * REVOKE bit and signs the RRset itself is {@code REVOKED} at once (section 2.1), never trusted
 * again, and {@code REMOVED} after the remove hold-down (section 2.4.2). A trust point whose
 * trusted keys are all revoked has no anchor left (section 5: as if it were never configured).
 */
public final class Rollover {

    /** RFC 5011 2.4.1 and 2.4.2. */
    public static final Duration ADD_HOLD_DOWN = Duration.ofDays(30), REMOVE_HOLD_DOWN = Duration.ofDays(30);

    /** RFC 4034 2.1.1 and RFC 5011 7: the DNSKEY flags that matter here. */
    public static final int ZONE = 0x0100, REVOKE = 0x0080, SEP = 0x0001;

    private Rollover() {}

    /** RFC 5011 4. START is a key not (or no longer) tracked, so it never appears in a trust point. */
    public enum State { ADDPEND, VALID, MISSING, REVOKED, REMOVED }

    /**
     * One tracked key.
     *
     * @param key the key without its REVOKE bit (a revoked key is the same key)
     * @param since when it entered {@code state}; for ADDPEND, the first probe of the unbroken run
     *     that saw it (absent from one probe, it is forgotten, so the run starts again)
     */
    public record Tracked(Rdata.Dnskey key, State state, Instant since) {
        public Tracked {
            Objects.requireNonNull(state);
            Objects.requireNonNull(since);
            key = unrevoked(key);
        }

        public int keyTag() {
            return Dnssec.keyTag(key);
        }

        boolean trusted() {
            return state == State.VALID || state == State.MISSING;
        }
    }

    /**
     * A trust point (RFC 5011 2): a zone whose keys are tracked, with the DS anchors configured for it
     * that no seen key has matched yet.
     */
    public record TrustPoint(Name owner, List<Rdata.Ds> pendingDs, List<Tracked> keys) {
        public TrustPoint {
            Objects.requireNonNull(owner);
            pendingDs = List.copyOf(pendingDs);
            keys = List.copyOf(keys);
        }

        /** A trust point from configured anchors: DNSKEYs are trusted at once, DSes when their key shows up. */
        public static TrustPoint configured(Name owner, List<Rdata.Ds> ds, List<Rdata.Dnskey> keys, Instant now) {
            return new TrustPoint(owner, ds, keys.stream().map(k -> new Tracked(k, State.VALID, now)).toList());
        }

        /** What the validator may start from now. */
        public Anchor anchor() {
            return new Anchor(owner, keys.stream().filter(Tracked::trusted).map(Tracked::key).toList(), pendingDs);
        }

        public Optional<Tracked> key(int keyTag) {
            return keys.stream().filter(k -> k.keyTag() == keyTag).findFirst();
        }
    }

    /**
     * The trust anchors of one zone as the validator takes them: DNSKEYs trusted as they are, and
     * DSes (RFC 4035 5: a DNSKEY matching one is trusted). Empty when every key was revoked.
     */
    public record Anchor(Name owner, List<Rdata.Dnskey> keys, List<Rdata.Ds> ds) {
        public Anchor {
            keys = List.copyOf(keys);
            ds = List.copyOf(ds);
        }

        public boolean isEmpty() {
            return keys.isEmpty() && ds.isEmpty();
        }

        /** As master-file records (what {@code --trust-anchor} reads). */
        public List<Record> records() {
            List<Record> out = new ArrayList<>();
            ds.forEach(d -> out.add(Record.in(owner, 0, d)));
            keys.forEach(k -> out.add(Record.in(owner, 0, k)));
            return out;
        }
    }

    /** A key's change of state, for the log. */
    public record Transition(int keyTag, Optional<State> from, Optional<State> to) {}

    /** The state after a probe and what changed. */
    public record Observed(TrustPoint trustPoint, List<Transition> transitions) {
        public Observed {
            transitions = List.copyOf(transitions);
        }
    }

    /** Why a probe's answer was not used; the state stays as it was. */
    public sealed interface RolloverError {
        /** The answer holds no DNSKEY of the trust point. */
        record NoKeys(Name owner) implements RolloverError {}

        /** No trusted key signs the RRset (RFC 5011 2: only an RRset validated by a trust anchor may change the state). */
        record NotValidated(Name owner, List<String> reasons) implements RolloverError {
            public NotValidated {
                reasons = List.copyOf(reasons);
            }
        }

        default String describe() {
            return switch (this) {
                case NoKeys(Name owner) -> "no DNSKEY of " + owner + " in the answer";
                case NotValidated(Name owner, List<String> reasons) -> "the DNSKEY RRset of " + owner
                        + " is not signed by a trusted key" + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
            };
        }
    }

    /**
     * Applies one probe of the trust point's DNSKEY RRset ({@code answer}: the DNSKEYs and the
     * RRSIGs over them, other records ignored) made at {@code now}.
     */
    public static Result<Observed, RolloverError> observe(TrustPoint tp, List<Record> answer, Instant now) {
        List<Record> rrset = answer.stream().filter(r -> r.type() == Type.DNSKEY && r.name().equals(tp.owner())).toList();
        if (rrset.isEmpty()) {
            return Result.err(new RolloverError.NoKeys(tp.owner()));
        }
        List<Rdata.Rrsig> sigs = answer.stream()
                .filter(r -> r.name().equals(tp.owner()) && r.rdata() instanceof Rdata.Rrsig s && s.typeCovered() == Type.DNSKEY)
                .map(r -> (Rdata.Rrsig) r.rdata()).toList();
        List<Rdata.Dnskey> published = rrset.stream().map(r -> (Rdata.Dnskey) r.rdata()).toList();
        List<String> reasons = new ArrayList<>();
        List<Rdata.Ds> matchedDs = new ArrayList<>();
        if (!validated(tp, rrset, sigs, published, matchedDs, reasons, now)) {
            return revocationsOnly(tp, rrset, sigs, published, now)
                    .<Result<Observed, RolloverError>>map(Result::ok)
                    .orElseGet(() -> Result.err(new RolloverError.NotValidated(tp.owner(), reasons)));
        }
        List<Tracked> next = new ArrayList<>();
        List<Transition> transitions = new ArrayList<>();
        List<Rdata.Dnskey> present = new ArrayList<>();
        List<Rdata.Dnskey> revoked = new ArrayList<>();
        for (Rdata.Dnskey k : published) {
            boolean anchored = tp.pendingDs().stream().anyMatch(d -> matches(tp.owner(), k, d));
            if ((k.flags() & ZONE) == 0 || (k.flags() & SEP) == 0 && !anchored) {
                continue; // RFC 5011 applies to trust anchor keys: zone keys with the SEP flag, or named by a DS
            }
            if ((k.flags() & REVOKE) == 0) {
                present.add(k);
            } else if (signs(k, tp.owner(), rrset, sigs, now)) {
                revoked.add(unrevoked(k)); // RFC 5011 2.1: the revoked key signs the RRset itself
            }
        }
        for (Tracked t : tp.keys()) {
            boolean isRevoked = revoked.contains(t.key());
            boolean isPresent = present.contains(t.key());
            Optional<Tracked> after = switch (t.state()) {
                case ADDPEND -> isRevoked ? Optional.of(enter(t, State.REVOKED, now))
                        : !isPresent ? Optional.<Tracked>empty() // back to START: presence must be continuous
                        : Optional.of(addPending(t, now));
                case VALID -> isRevoked ? Optional.of(enter(t, State.REVOKED, now))
                        : isPresent ? Optional.of(t) : Optional.of(enter(t, State.MISSING, now));
                case MISSING -> isRevoked ? Optional.of(enter(t, State.REVOKED, now))
                        : isPresent ? Optional.of(enter(t, State.VALID, now)) : Optional.of(t);
                case REVOKED -> !now.isBefore(t.since().plus(REMOVE_HOLD_DOWN)) ? Optional.of(enter(t, State.REMOVED, now))
                        : Optional.of(t);
                // RFC 5011 4: a removed key may be forgotten; once unpublished it is
                case REMOVED -> isPresent || isRevoked ? Optional.of(t) : Optional.empty();
            };
            after.ifPresent(next::add);
            if (after.isEmpty() || after.get().state() != t.state()) {
                transitions.add(new Transition(t.keyTag(), Optional.of(t.state()), after.map(Tracked::state)));
            }
        }
        for (Rdata.Dnskey k : present) {
            if (tp.keys().stream().noneMatch(t -> t.key().equals(k))) {
                boolean anchored = tp.pendingDs().stream().anyMatch(d -> matches(tp.owner(), k, d));
                Tracked t = new Tracked(k, anchored ? State.VALID : State.ADDPEND, now);
                next.add(t);
                transitions.add(new Transition(t.keyTag(), Optional.empty(), Optional.of(t.state())));
            }
        }
        List<Rdata.Ds> pending = tp.pendingDs().stream().filter(d -> !matchedDs.contains(d)).toList();
        return Result.ok(new Observed(new TrustPoint(tp.owner(), pending, next), transitions));
    }

    /**
     * RFC 5011 2.1: a revoked key cannot validate, so an RRset whose only signatures are those of
     * revoked keys (the last trusted key revoked) is used for the revocations alone: each tracked key
     * whose revoked form signs the RRset itself is revoked; nothing else changes.
     */
    private static Optional<Observed> revocationsOnly(TrustPoint tp, List<Record> rrset, List<Rdata.Rrsig> sigs,
            List<Rdata.Dnskey> published, Instant now) {
        List<Tracked> next = new ArrayList<>();
        List<Transition> transitions = new ArrayList<>();
        for (Tracked t : tp.keys()) {
            boolean revoked = t.state() != State.REVOKED && t.state() != State.REMOVED && published.stream()
                    .anyMatch(k -> (k.flags() & REVOKE) != 0 && unrevoked(k).equals(t.key()) && signs(k, tp.owner(), rrset, sigs, now));
            next.add(revoked ? enter(t, State.REVOKED, now) : t);
            if (revoked) {
                transitions.add(new Transition(t.keyTag(), Optional.of(t.state()), Optional.of(State.REVOKED)));
            }
        }
        return transitions.isEmpty() ? Optional.empty()
                : Optional.of(new Observed(new TrustPoint(tp.owner(), tp.pendingDs(), next), transitions));
    }

    private static Tracked enter(Tracked t, State state, Instant now) {
        return new Tracked(t.key(), state, now);
    }

    /**
     * RFC 5011 2.2 and 2.4.1: trusted at the first probe that sees it once the hold-down has passed since the
     * first of its unbroken run of probes (so at least two probes, 30 days apart, and all between).
     */
    private static Tracked addPending(Tracked t, Instant now) {
        return !now.isBefore(t.since().plus(ADD_HOLD_DOWN)) ? enter(t, State.VALID, now) : t;
    }

    /** Whether a key trusted now, or a published key matching a configured DS, signs the RRset. */
    private static boolean validated(TrustPoint tp, List<Record> rrset, List<Rdata.Rrsig> sigs, List<Rdata.Dnskey> published,
            List<Rdata.Ds> matchedDs, List<String> reasons, Instant now) {
        boolean ok = false;
        for (Tracked t : tp.keys()) {
            if (t.trusted()) {
                ok |= signs(t.key(), tp.owner(), rrset, sigs, now, reasons);
            }
        }
        for (Rdata.Ds d : tp.pendingDs()) {
            for (Rdata.Dnskey k : published) {
                if ((k.flags() & REVOKE) == 0 && matches(tp.owner(), k, d) && signs(k, tp.owner(), rrset, sigs, now, reasons)) {
                    matchedDs.add(d);
                    ok = true;
                }
            }
        }
        if (!ok && reasons.isEmpty()) {
            reasons.add("no signature by any of the trusted keys " + tp.anchor().keys().stream().map(Dnssec::keyTag).toList());
        }
        return ok;
    }

    private static boolean signs(Rdata.Dnskey key, Name owner, List<Record> rrset, List<Rdata.Rrsig> sigs, Instant now) {
        return signs(key, owner, rrset, sigs, now, new ArrayList<>());
    }

    private static boolean signs(Rdata.Dnskey key, Name owner, List<Record> rrset, List<Rdata.Rrsig> sigs, Instant now,
            List<String> reasons) {
        int tag = Dnssec.keyTag(key);
        for (Rdata.Rrsig sig : sigs) {
            if (sig.keyTag() != tag || sig.algorithm() != key.algorithm()) {
                continue;
            }
            switch (Dnssec.verify(sig, key, owner, rrset, now)) {
                case Result.Ok<Unit, Dnssec.Failure> ok -> {
                    return true;
                }
                case Result.Err<Unit, Dnssec.Failure>(Dnssec.Failure f) -> reasons.add("key " + tag + ": " + f.describe());
            }
        }
        return false;
    }

    /** RFC 4034 5.2: the DS is the digest of this key. */
    static boolean matches(Name owner, Rdata.Dnskey key, Rdata.Ds ds) {
        return ds.keyTag() == Dnssec.keyTag(key) && ds.algorithm() == key.algorithm()
                && Dnssec.ds(owner, key, ds.digestType()) instanceof Result.Ok<Rdata.Ds, ?>(Rdata.Ds d)
                && d.digest().equals(ds.digest());
    }

    static Rdata.Dnskey unrevoked(Rdata.Dnskey k) {
        return (k.flags() & REVOKE) == 0 ? k : new Rdata.Dnskey(k.flags() & ~REVOKE, k.protocol(), k.algorithm(), k.publicKey());
    }

    /**
     * RFC 5011 2.3: when to probe again after a good answer, from the RRset's original TTL and the
     * earliest expiration of its signatures: half of either, at least an hour, at most 15 days.
     */
    public static Duration activeRefresh(long originalTtl, Instant expiration, Instant now) {
        return bounded(Duration.ofSeconds(originalTtl / 2), Duration.between(now, expiration).dividedBy(2), Duration.ofDays(15));
    }

    /** RFC 5011 2.3: when to try again after a failed probe: a tenth of either, at least an hour, at most a day. */
    public static Duration retry(long originalTtl, Instant expiration, Instant now) {
        return bounded(Duration.ofSeconds(originalTtl / 10), Duration.between(now, expiration).dividedBy(10), Duration.ofDays(1));
    }

    private static Duration bounded(Duration a, Duration b, Duration max) {
        Duration min = a.compareTo(b) < 0 ? a : b;
        min = min.compareTo(max) < 0 ? min : max;
        return min.compareTo(Duration.ofHours(1)) > 0 ? min : Duration.ofHours(1);
    }
}
