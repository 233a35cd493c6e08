package jmirage.authoritative.secondary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.TcpExchange;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * Fetches a zone from a primary over TCP (RFC 7766 framing, {@link TcpExchange#frame}; the answer
 * is a stream of messages, read here, where {@link TcpExchange#exchange} reads one): IXFR with the
 * serial of the copy we have (RFC 1995), AXFR when we have none (RFC 5936), signed with TSIG when a
 * key is given and then every signed message of the answer verified as one stream (RFC 8945 5.3.1).
 * On the loop.
 */
public final class TransferClient {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TransferClient() {}

    /** IXFR when we have a copy, then AXFR if the primary does not do IXFR; AXFR when we have none. */
    public static Promise<Result<TransferReader.Outcome, TransferError>> fetch(Stack stack, Scheduler scheduler, Clock clock,
            Random random, Endpoint primary, Name origin, Optional<Zone> current, Optional<TsigKey> key) {
        if (current.isEmpty()) {
            return fetchOnce(stack, scheduler, clock, random, primary, origin, current, key, Type.AXFR);
        }
        return fetchOnce(stack, scheduler, clock, random, primary, origin, current, key, Type.IXFR).flatMap(r ->
                r instanceof Result.Err<TransferReader.Outcome, TransferError>(TransferError.IxfrUnsupported u)
                        ? fetchOnce(stack, scheduler, clock, random, primary, origin, Optional.empty(), key, Type.AXFR)
                        : Promise.resolved(r));
    }

    private static Promise<Result<TransferReader.Outcome, TransferError>> fetchOnce(Stack stack, Scheduler scheduler, Clock clock,
            Random random, Endpoint primary, Name origin, Optional<Zone> current, Optional<TsigKey> key, int qtype) {
        int id = random.nextInt(65536);
        List<Record> authority = current.map(z -> z.soaSet().records()).orElse(List.of());
        Message query = new Message(new Header(id, false, Header.QUERY, false, false, false, false, false, false, false, 0),
                List.of(new Question(origin, qtype, DnsClass.IN)), List.of(), authority, List.of(), Optional.empty());
        Bytes wire;
        Optional<Bytes> requestMac;
        if (key.isPresent()) {
            Tsig.Signed s = Tsig.signRequest(query, key.get(), clock.now(), Tsig.DEFAULT_FUDGE);
            wire = s.wire();
            requestMac = Optional.of(s.mac());
        } else {
            wire = MessageCodec.encode(query);
            requestMac = Optional.empty();
        }
        Flow[] open = new Flow[1];
        Promise<Result<TransferReader.Outcome, TransferError>> run = stack.connectTcp(primary).flatMap(c -> switch (c) {
            case Result.Err<Flow, NetError>(NetError e) -> Promise.resolved(
                    Result.<TransferReader.Outcome, TransferError>err(new TransferError.Connect(primary, e)));
            case Result.Ok<Flow, NetError>(Flow flow) -> {
                open[0] = flow;
                Session session = new Session(flow, clock, id, qtype, new TransferReader(origin, current), key, requestMac);
                yield flow.write(TcpExchange.frame(wire)).flatMap(w -> w instanceof Result.Err<Unit, FlowError>(FlowError e)
                        ? Promise.resolved(Result.<TransferReader.Outcome, TransferError>err(new TransferError.Send(primary, e)))
                        : session.readAll()).flatMap(r -> flow.close().map(u -> r));
            }
        });
        Result<TransferReader.Outcome, TransferError> timedOut = Result.err(new TransferError.TimedOut(primary, TIMEOUT));
        return scheduler.withTimeout(run, TIMEOUT, timedOut).map(r -> {
            if (r == timedOut && open[0] != null) {
                open[0].close(); // a silent primary: let go of the connection, which ends the pending read
            }
            return r;
        });
    }

    /** One transfer's reading side: frames, TSIG, records. */
    private static final class Session {
        final Flow flow;
        final jmirage.core.Clock clock;
        final int id;
        final int qtype;
        final TransferReader reader;
        final Optional<TsigKey> key;
        Optional<Bytes> requestMac;
        Optional<Tsig.Stream> stream = Optional.empty();
        Bytes buffer = Bytes.EMPTY;
        boolean lastSigned;

        Session(Flow flow, jmirage.core.Clock clock, int id, int qtype, TransferReader reader, Optional<TsigKey> key,
                Optional<Bytes> requestMac) {
            this.flow = flow;
            this.clock = clock;
            this.id = id;
            this.qtype = qtype;
            this.reader = reader;
            this.key = key;
            this.requestMac = requestMac;
        }

        Promise<Result<TransferReader.Outcome, TransferError>> readAll() {
            return flow.read().flatMap(r -> {
                if (r instanceof Result.Err<ReadResult, FlowError>(FlowError e)) {
                    return Promise.resolved(Result.err(new TransferError.Read(flow.remote(), e)));
                }
                if (r.orElseThrow() instanceof ReadResult.Eof) {
                    return Promise.resolved(Result.err(new TransferError.ClosedEarly(flow.remote())));
                }
                buffer = buffer.concat(((ReadResult.Data) r.orElseThrow()).bytes());
                while (buffer.size() >= 2) {
                    int len = buffer.getUnsigned(0) << 8 | buffer.getUnsigned(1);
                    if (buffer.size() < 2 + len) {
                        break;
                    }
                    Bytes message = buffer.slice(2, 2 + len);
                    buffer = buffer.slice(2 + len, buffer.size());
                    Optional<TransferError> bad = message(message);
                    if (bad.isPresent()) {
                        return Promise.resolved(Result.err(bad.get()));
                    }
                    if (reader.done()) {
                        if (key.isPresent() && !lastSigned) {
                            return Promise.resolved(Result.err(new TransferError.LastUnsigned()));
                        }
                        return Promise.resolved(reader.outcome());
                    }
                }
                return readAll();
            });
        }

        private Optional<TransferError> message(Bytes wire) {
            Message m;
            if (key.isPresent()) {
                Result<Message, TsigError> verified;
                if (stream.isEmpty()) {
                    var v = Tsig.verifyResponse(wire, key.get(), clock.now(), requestMac.orElseThrow());
                    verified = v.map(Tsig.Verified::message);
                    if (v instanceof Result.Ok<Tsig.Verified, TsigError>(Tsig.Verified ok)) {
                        stream = Optional.of(Tsig.Stream.after(key.get(), ok.mac()));
                        lastSigned = true;
                    }
                } else {
                    var v = Tsig.verifyNext(stream.get(), wire, clock.now());
                    verified = v.map(Tsig.StreamStep::message);
                    if (v instanceof Result.Ok<Tsig.StreamStep, TsigError>(Tsig.StreamStep step)) {
                        stream = Optional.of(step.next());
                        lastSigned = step.signed();
                    }
                }
                if (verified instanceof Result.Err<Message, TsigError>(TsigError e)) {
                    return Optional.of(new TransferError.BadTsig(e));
                }
                m = verified.orElseThrow();
            } else {
                var d = MessageCodec.decode(wire);
                if (!(d instanceof Result.Ok<Message, ?>(Message ok))) {
                    return Optional.of(new TransferError.Malformed());
                }
                m = ok;
            }
            if (m.header().id() != id || !m.header().qr()) {
                return Optional.of(new TransferError.WrongId());
            }
            Rcode rcode = Rcode.of(m.header().rcode());
            if (qtype == Type.IXFR && (rcode.equals(Rcode.NOTIMP) || rcode.equals(Rcode.FORMERR))) {
                return Optional.of(new TransferError.IxfrUnsupported(rcode));
            }
            if (!rcode.equals(Rcode.NOERROR)) {
                return Optional.of(new TransferError.Refused(rcode));
            }
            reader.feed(new ArrayList<>(m.answers()));
            reader.endOfMessage();
            return Optional.empty();
        }
    }
}
