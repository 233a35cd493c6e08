package jmirage.authoritative.transfer;

import jmirage.dns.Rcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.authoritative.server.Handler;
import jmirage.authoritative.server.Request;
import jmirage.authoritative.server.SourceLog;
import jmirage.authoritative.update.Serial;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.net.IpPrefix;
import jmirage.core.Promise;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * Answers AXFR (RFC 5936) and IXFR (RFC 1995) for the zones served, to a peer whose TSIG key may
 * transfer the zone ({@code _transfer} or {@code _update}) or whose address is in the allow list.
 * Over UDP an IXFR gets the current SOA alone (RFC 1995 2: "use TCP"), an AXFR is refused (RFC 5936
 * 4.2). An IXFR the journal cannot serve gets the whole zone in AXFR form (RFC 1995 4).
 */
public final class TransferHandler implements Handler {

    private final Supplier<Zones> zones;
    private final Supplier<Keys> keys;
    private final Supplier<Journal> journal;
    private final List<IpPrefix> allowed;
    private final Log log;
    /** Refusals are bad input or a misconfigured peer: one line per source a minute (SourceLog). */
    private final SourceLog refusals;

    public TransferHandler(Supplier<Zones> zones, Supplier<Keys> keys, Supplier<Journal> journal, List<IpPrefix> allowed,
            Log log) {
        this.zones = zones;
        this.keys = keys;
        this.journal = journal;
        this.allowed = List.copyOf(allowed);
        this.log = log;
        this.refusals = new SourceLog(log, 60_000_000_000L);
    }

    @Override
    public Promise<List<Bytes>> handle(Request request) {
        return Promise.resolved(answer(request));
    }

    List<Bytes> answer(Request request) {
        Message m = request.message();
        if (m.header().qr() || m.questions().size() != 1) {
            return m.header().qr() ? List.of() : List.of(RequestAuth.reply(request, Rcode.FORMERR, new RequestAuth.Outcome.Unsigned()));
        }
        RequestAuth.Outcome auth = RequestAuth.check(request, keys.get());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            refused(request, "transfer to " + request.source() + " refused: " + f.reason());
            return List.of(f.response());
        }
        int qtype = m.questions().getFirst().qtype();
        Name name = m.questions().getFirst().name();
        String what = Type.name(qtype) + " " + name + " to " + request.source();
        Optional<Zone> zone = zones.get().get(name);
        if (zone.isEmpty()) {
            log.info(what + " refused: not a zone served here");
            return List.of(RequestAuth.reply(request, Rcode.NOTAUTH, auth));
        }
        boolean byKey = auth instanceof RequestAuth.Outcome.Signed s && s.key().allows(Operation.TRANSFER, name);
        boolean byAddress = allowed.stream().anyMatch(p -> p.contains(request.source().address()));
        if (!byKey && !byAddress) {
            refused(request, what + " refused: " + (auth instanceof RequestAuth.Outcome.Signed s
                    ? "key " + s.key().name() + " may not transfer it" : "no key, and the address is not allowed"));
            return List.of(RequestAuth.reply(request, Rcode.REFUSED, auth));
        }
        Zone z = zone.get();
        Record soa = z.soaSet().records().getFirst();
        if (qtype == Type.IXFR) {
            Optional<Long> theirs = m.authority().stream().filter(r -> r.rdata() instanceof Rdata.Soa)
                    .map(r -> ((Rdata.Soa) r.rdata()).serial()).findFirst();
            if (theirs.isEmpty()) {
                return List.of(RequestAuth.reply(request, Rcode.FORMERR, auth)); // RFC 1995 3: the client's SOA
            }
            if (request.transport() == Request.Transport.UDP || !Serial.greater(z.serial(), theirs.get())) {
                return TransferStream.encode(m, List.of(soa), auth, request.received());
            }
            Optional<List<Journal.Step>> path = journal.get().path(name, theirs.get(), z.serial());
            if (path.isPresent()) {
                List<Record> records = new ArrayList<>();
                records.add(soa);
                for (Journal.Step step : path.get()) {
                    records.add(step.fromSoa());
                    records.addAll(step.removed());
                    records.add(step.toSoa());
                    records.addAll(step.added());
                }
                records.add(soa);
                log.info("IXFR " + name + " " + theirs.get() + " -> " + z.serial() + " to " + request.source()
                        + " (" + path.get().size() + " step(s))");
                return TransferStream.encode(m, records, auth, request.received());
            }
        } else if (request.transport() == Request.Transport.UDP) {
            return List.of(RequestAuth.reply(request, Rcode.REFUSED, auth)); // RFC 5936 4.2: TCP only
        }
        List<Record> records = new ArrayList<>(z.records());
        records.add(soa); // RFC 5936 2.2: the SOA again at the end
        log.info("AXFR " + name + " serial " + z.serial() + " (" + records.size() + " records) to " + request.source()
                + (auth instanceof RequestAuth.Outcome.Signed s ? " with key " + s.key().name() : ""));
        return TransferStream.encode(m, records, auth, request.received());
    }

    private void refused(Request request, String message) {
        java.time.Instant t = request.received();
        refusals.warn(request.source().address(), message, t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }
}
