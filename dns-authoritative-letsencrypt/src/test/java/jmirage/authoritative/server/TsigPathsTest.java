package jmirage.authoritative.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Handler;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 8945 5.2 on every path: a query, a transfer, an update and a notify whose TSIG fails in the
 * same way get the same answer, through the dispatcher as the server wires it.
 */
class TsigPathsTest {

    static final Name ZONE = Name.of("example.test.");
    static final TsigKey KEY = new TsigKey(Name.of("test._update.example.test."), TsigAlgorithm.HMAC_SHA256,
            Bytes.of(Base64.getDecoder().decode(SampleZone.TEST_SECRET)));
    static final Endpoint PEER = new Endpoint(IpAddresses.parse("192.0.2.9").orElseThrow(), 5353);

    /** The request of each path, unsigned. */
    enum Path {
        QUERY(Header.QUERY, Type.SOA, Request.Transport.UDP),
        TRANSFER(Header.QUERY, Type.AXFR, Request.Transport.TCP),
        UPDATE(Header.UPDATE, Type.SOA, Request.Transport.UDP),
        NOTIFY(Header.NOTIFY, Type.SOA, Request.Transport.UDP);

        final int opcode;
        final int qtype;
        final Request.Transport transport;

        Path(int opcode, int qtype, Request.Transport transport) {
            this.opcode = opcode;
            this.qtype = qtype;
            this.transport = transport;
        }

        Message request() {
            return new Message(new Header(77, false, opcode, opcode == Header.NOTIFY, false, false, false, false, false,
                    false, 0), List.of(new Question(ZONE, qtype, DnsClass.IN)), List.of(), List.of(), List.of(),
                    Optional.empty());
        }
    }

    /** A way for a request's TSIG to fail, and what the answer must be: rcode, TSIG error, whether signed (-1: no TSIG). */
    enum Failure {
        UNKNOWN_KEY(Rcode.NOTAUTH, Rcode.BADKEY.value(), 0),
        WRONG_MAC(Rcode.NOTAUTH, Rcode.BADSIG.value(), 0),
        OLD_TIME(Rcode.NOTAUTH, Rcode.BADTIME.value(), 32),
        CLASS_IN(Rcode.FORMERR, -1, -1),
        ERROR_IN_REQUEST(Rcode.FORMERR, -1, -1);

        final Rcode rcode;
        final int tsigError;
        final int macSize;

        Failure(Rcode rcode, int tsigError, int macSize) {
            this.rcode = rcode;
            this.tsigError = tsigError;
            this.macSize = macSize;
        }

        Bytes sign(Message m, Instant now) {
            return switch (this) {
                case UNKNOWN_KEY -> Tsig.signRequest(m, new TsigKey(Name.of("who._update.example.test."),
                        TsigAlgorithm.HMAC_SHA256, Bytes.utf8("x")), now, 300).wire();
                case WRONG_MAC -> Tsig.signRequest(m, new TsigKey(KEY.name(), KEY.algorithm(), Bytes.utf8("not it")),
                        now, 300).wire();
                case OLD_TIME -> Tsig.signRequest(m, KEY, now.minusSeconds(3600), 300).wire();
                case CLASS_IN -> {
                    Message signed = MessageCodec.decode(Tsig.signRequest(m, KEY, now, 300).wire()).orElseThrow();
                    Record t = signed.tsig().orElseThrow();
                    yield MessageCodec.encode(signed.withAdditional(List.of(new Record(t.name(), DnsClass.IN, 0, t.rdata()))));
                }
                case ERROR_IN_REQUEST -> Tsig.signError(m, KEY, now, 300, Rcode.BADTIME.value(), Optional.empty());
            };
        }
    }

    static Stream<Arguments> everyFailureOnEveryPath() {
        List<Arguments> all = new ArrayList<>();
        for (Path p : Path.values()) {
            for (Failure f : Failure.values()) {
                all.add(Arguments.of(p, f));
            }
        }
        return all.stream();
    }

    final Simulation sim = new Simulation(11);

    <T> T run(Promise<T> p) {
        return sim.scheduler().runUntil(p).value();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("everyFailureOnEveryPath")
    void aFailedTsigIsAnsweredAlikeOnEveryPath(Path path, Failure failure) {
        MemKv kv = new MemKv(sim.clock());
        run(kv.set(Key.of(SampleZone.ZONE_FILE), Bytes.utf8(SampleZone.ZONE)));
        run(kv.set(Key.of(SampleZone.KEYS_FILE), Bytes.utf8(SampleZone.KEYS)));
        ZoneOptions options = new ZoneOptions();
        options.pollSeconds = 0;
        ZoneManagement zm = run(ZoneManagement.start(kv, Optional.empty(), null, sim.scheduler(), sim.clock(), sim.random(),
                sim.log("dns", LogLevel.WARN), options)).orElseThrow();
        Handler dispatcher = zm.handler(Optional.empty());
        Instant now = sim.clock().now();
        Message request = path.request();
        Bytes wire = failure.sign(request, now);
        Request r = new Request(MessageCodec.decode(wire).orElseThrow(), wire, PEER, PEER, path.transport,
                path.transport == Request.Transport.TCP ? 65535 : 512, now);
        List<Bytes> answers = run(dispatcher.handle(r));
        assertEquals(1, answers.size());
        Message answer = MessageCodec.decode(answers.getFirst()).orElseThrow();
        Function<Message, List<Object>> seen = m -> List.of(m.header().id(), m.header().opcode(), Rcode.of(m.header().rcode()),
                m.tsig().map(t -> ((Rdata.Tsig) t.rdata()).error()).orElse(-1),
                m.tsig().map(t -> ((Rdata.Tsig) t.rdata()).mac().size()).orElse(-1), m.questions());
        assertEquals(List.of(77, path.opcode, failure.rcode, failure.tsigError, failure.macSize, request.questions()),
                seen.apply(answer));
        assertEquals(2026010101L, zm.zones().get(ZONE).orElseThrow().serial(), "nothing changed");
        zm.stop();
    }
}
