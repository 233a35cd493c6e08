package jmirage.authoritative.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.TestZones;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.server.Request;
import jmirage.dns.server.RequestDecoder;
import jmirage.dns.server.Responses;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;

/**
 * The request path of the server, as the shell runs it for each datagram: decode, then FORMERR or
 * silence for bytes that are no message, else the pure {@link AuthoritativeCore} on every opcode (with
 * a TSIG key known, so signed requests are verified; an update may end in a commit effect instead). Whatever the bytes: no exception, every answer decodes,
 * fits the transport's limit, and carries the request's ID.
 */
class RequestPathFuzzTest {

    private static final Zones ZONES = TestZones.zones();
    private static final TsigKey KEY = new TsigKey(Name.of("client._update."), TsigAlgorithm.HMAC_SHA256,
            Bytes.utf8("0123456789abcdef0123456789abcdef"));
    private static final Keys KEYS = Keys.parse("client._update. DNSKEY 0 3 163 "
            + java.util.Base64.getEncoder().encodeToString(KEY.secret().toArray()) + "\n", Name.ROOT).orElseThrow();
    private static final AuthoritativeCore.State STATE = new AuthoritativeCore.State(ZONES, ZONES, KEYS,
            jmirage.authoritative.transfer.Journal.EMPTY,
            new AuthoritativeCore.Policy(List.of(), java.util.Map.of(), Optional.of(Bytes.utf8("fuzz-1"))));
    private static final Endpoint SOURCE = new Endpoint(InetAddress.ofLiteral("192.0.2.9"), 5353);
    private static final Endpoint US = new Endpoint(InetAddress.ofLiteral("192.0.2.1"), 53);

    @FuzzTest(maxDuration = "20s")
    void anyBytesGetAnAnswerThatDecodesOrSilence(byte[] data) {
        Bytes wire = Bytes.of(data);
        boolean tcp = data.length > 0 && (data[data.length - 1] & 1) == 1;
        switch (RequestDecoder.decode(wire)) {
            case Result.Err<Message, RequestDecoder.Undecodable>(RequestDecoder.Undecodable why) -> why.answer().ifPresent(f -> {
                Message m = MessageCodec.decode(f).orElseThrow(x -> new IllegalStateException("our FORMERR does not decode: " + x));
                assertTrue(m.header().qr() && m.header().id() == (wire.getUnsigned(0) << 8 | wire.getUnsigned(1)));
            });
            case Result.Ok<Message, RequestDecoder.Undecodable>(Message m) -> {
                int limit = tcp ? 65535 : Responses.udpLimit(m);
                Request request = new Request(m, wire, SOURCE, US, tcp ? Request.Transport.TCP : Request.Transport.UDP,
                        limit, Instant.ofEpochSecond(1_800_000_000L));
                AuthoritativeCore.Outcome outcome = AuthoritativeCore.handle(STATE, request);
                List<Bytes> answered = outcome.replies();
                for (Bytes answer : answered) {
                    assertTrue(answer.size() <= limit, () -> answer.size() + " bytes over a limit of " + limit);
                    Message back = MessageCodec.decode(answer).orElseThrow(x -> new IllegalStateException("our answer does not decode: " + x));
                    assertTrue(back.header().qr() && back.header().id() == m.header().id());
                }
            }
        }
    }
}
