package jmirage.resolver.rpl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Scheduler;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Question;
import jmirage.dns.RdataCodec;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;
import jmirage.resolver.upstream.Upstream;
import jmirage.sim.SeededRandom;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;

/**
 * Runs a replay scenario against the resolver's core. The resolver is built by a {@link Factory}
 * from the file's configuration, a {@link ReplayUpstream} over its ranges, and the devices of a
 * simulation: a virtual clock whose wall time starts at {@code val-override-date} (the validator's
 * "now" for signature validity) and moves only with {@code TIME_PASSES}, a loop on that clock, and
 * seeded randomness. Everything is deterministic.
 *
 * <p>Steps run in file order. {@code QUERY} asks the resolver the entry's question, with the CD bit
 * as checking-disabled; {@code CHECK_ANSWER} runs the loop until the oldest unchecked query has its
 * resolution (a bounded number of tasks) and compares; {@code TIME_PASSES} runs the loop for the
 * time given; {@code TRAFFIC} runs what is due now (background fetches). Ranges are active by the
 * number of the step being run, as testbound does. The client's transport ({@code MATCH TCP} on a
 * query) is not modelled: the core never sees it.
 *
 * <p><b>What a check compares, and why.</b> The core returns a {@link Resolution}, not a response;
 * the client's flags shape it as the serving layer does: AD is set only for a secure answer to a
 * query with DO or AD (RFC 6840 5.7, 5.8), RRSIGs are in the answer only with DO (RFC 4035 3.2.1).
 * Compared are (1) the rcode, (2) the AD bit, the scenarios' subject, and (3) with {@code MATCH all}
 * (every check in these files has it), the answer section as a set of records: owner lower-cased,
 * class, type, rdata in canonical form (RFC 4034 6.2), TTL only with {@code MATCH ttl}; order and
 * RRset grouping do not count. Not compared: QR, RD, RA and TC, which the serving layer sets and
 * the core cannot get wrong; the authority and additional sections, which hold unbound's own
 * choices (which NS, NSEC and glue it adds, {@code minimal-responses}) rather than what the
 * scenario proves; the resolver here builds its own and is checked elsewhere (the simulated
 * hierarchy and the differential test against Unbound).
 */
public final class RplRunner {

    /** Builds the resolver under test from a scenario's configuration and the devices given. */
    @FunctionalInterface
    public interface Factory {
        Resolve build(RplConfig config, Upstream upstream, Clock clock, Random random, Scheduler loop);
    }

    /** The outcome: each mismatch as a line, and the exchanges with the scripted authorities. */
    public record Outcome(List<String> failures, List<ReplayUpstream.Exchange> transcript) {
        public Outcome {
            failures = List.copyOf(failures);
            transcript = List.copyOf(transcript);
        }

        public boolean passed() {
            return failures.isEmpty();
        }

        /** The failures, then the transcript, for an assertion message. */
        public String report() {
            StringBuilder sb = new StringBuilder();
            failures.forEach(f -> sb.append(f).append('\n'));
            sb.append("exchanges with the scripted authorities:\n");
            transcript.forEach(e -> sb.append("  ").append(e).append('\n'));
            return sb.toString();
        }
    }

    /** Where the clock starts when the file gives no {@code val-override-date}. */
    static final Instant DEFAULT_START = VirtualClock.DEFAULT_START;

    private RplRunner() {}

    public static Outcome run(Rpl rpl, Factory factory) {
        VirtualClock clock = new VirtualClock(rpl.config().overrideDate().orElse(DEFAULT_START));
        SimScheduler loop = new SimScheduler(clock);
        int[] step = {0};
        ReplayUpstream upstream = new ReplayUpstream(rpl.ranges(), () -> step[0]);
        Resolve resolver = factory.build(rpl.config(), upstream, clock, new SeededRandom(rpl.file().hashCode()), loop);
        record Asked(RplStep.Query step, Promise<Resolution> answer) {}
        Deque<Asked> unchecked = new ArrayDeque<>();
        List<String> failures = new ArrayList<>();
        for (RplStep s : rpl.steps()) {
            step[0] = s.number();
            switch (s) {
                case RplStep.Query q -> {
                    RplEntry e = q.entry();
                    Question question = e.question().getFirst();
                    unchecked.add(new Asked(q, resolver.resolve(question, e.flags().cd())));
                }
                case RplStep.CheckAnswer c -> {
                    Asked asked = unchecked.poll();
                    if (asked == null) {
                        failures.add("step " + c.number() + ": CHECK_ANSWER without a query before it");
                        continue;
                    }
                    Promise<Resolution> answer = settle(loop, asked.answer());
                    if (!answer.isDone()) {
                        failures.add("step " + c.number() + ": no resolution for the query of step "
                                + asked.step().number() + " (nothing left to run on the loop)");
                    } else if (answer.isRejected()) {
                        failures.add("step " + c.number() + ": the resolver's promise failed: " + answer.failure());
                    } else {
                        failures.addAll(compare(c, asked.step().entry(), answer.value()));
                    }
                }
                case RplStep.TimePasses t -> loop.runFor(t.elapse());
                case RplStep.Traffic t -> loop.runFor(Duration.ZERO);
            }
        }
        return new Outcome(failures, upstream.transcript());
    }

    /** Runs the loop, moving the virtual clock to each timer in turn, until the answer settles or nothing is left. */
    private static Promise<Resolution> settle(SimScheduler loop, Promise<Resolution> answer) {
        try {
            return loop.runUntil(answer);
        } catch (IllegalStateException ranDry) {
            return answer; // still pending: reported by the caller
        }
    }

    /** The differences between a resolution, as a client with the query's flags sees it, and the check. */
    static List<String> compare(RplStep.CheckAnswer check, RplEntry query, Resolution got) {
        RplEntry want = check.entry();
        String at = "step " + check.number() + " (" + got.question().name() + " " + Type.name(got.question().qtype()) + "): ";
        List<String> out = new ArrayList<>();
        if (got.rcode() != want.flags().rcode()) {
            out.add(at + "rcode " + rcode(got.rcode()) + ", expected " + rcode(want.flags().rcode())
                    + got.error().map(e -> " (EDE " + e.infoCode() + " " + e.extraText() + ")").orElse(""));
        }
        boolean ad = authenticated(query, got);
        if (ad != want.flags().ad()) {
            out.add(at + "AD " + ad + ", expected " + want.flags().ad() + " (security " + got.security() + ")");
        }
        if (want.match().contains(RplEntry.Match.ALL)) {
            boolean ttl = want.match().contains(RplEntry.Match.TTL);
            Map<String, Record> gotAnswer = canonical(visible(query, got.answer()), ttl);
            Map<String, Record> wantAnswer = canonical(visible(query, want.answer()), ttl);
            if (!gotAnswer.keySet().equals(wantAnswer.keySet())) {
                List<Record> missing = new ArrayList<>();
                wantAnswer.forEach((k, r) -> { if (!gotAnswer.containsKey(k)) missing.add(r); });
                List<Record> extra = new ArrayList<>();
                gotAnswer.forEach((k, r) -> { if (!wantAnswer.containsKey(k)) extra.add(r); });
                out.add(at + "answer section differs; missing " + missing + ", unexpected " + extra);
            }
        }
        return out;
    }

    /** RFC 6840 5.7, 5.8: AD only for secure data, and only to a query that set DO or AD. */
    static boolean authenticated(RplEntry query, Resolution got) {
        return got.security() instanceof Security.Secure && (query.flags().dnssecOk() || query.flags().ad())
                && (got.rcode() == Header.NOERROR || got.rcode() == Header.NXDOMAIN);
    }

    /** RFC 4035 3.2.1: RRSIGs go to a client only when it set DO (unless it asked for them). */
    static List<Record> visible(RplEntry query, List<Record> records) {
        boolean askedForSigs = query.question().getFirst().qtype() == Type.RRSIG;
        if (query.flags().dnssecOk() || askedForSigs) {
            return records;
        }
        return records.stream().filter(r -> r.type() != Type.RRSIG).toList();
    }

    /**
     * Each record keyed by owner (lower case), class, type, canonical rdata (RFC 4034 6.2) in hex,
     * and the TTL when it counts; the record itself is kept for messages.
     */
    static Map<String, Record> canonical(List<Record> records, boolean ttl) {
        Map<String, Record> out = new TreeMap<>();
        for (Record r : records) {
            out.put(r.name().toLowerCase() + (ttl ? " " + r.ttl() : "") + " " + DnsClass.name(r.rrClass()) + " "
                    + Type.name(r.type()) + " " + HexFormat.of().formatHex(RdataCodec.toWire(r.rdata(), true).toArray()), r);
        }
        return out;
    }

    private static String rcode(int rcode) {
        return switch (rcode) {
            case Header.NOERROR -> "NOERROR";
            case Header.FORMERR -> "FORMERR";
            case Header.SERVFAIL -> "SERVFAIL";
            case Header.NXDOMAIN -> "NXDOMAIN";
            case Header.REFUSED -> "REFUSED";
            default -> Integer.toString(rcode);
        };
    }
}
