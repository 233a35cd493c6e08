package jmirage.authoritative.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.server.Handler;
import jmirage.dns.server.Request;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;

/**
 * Arbitrary requests into the zone-management handlers (UPDATE, NOTIFY, AXFR/IXFR, routed by the
 * module's Dispatcher, the source allowed to transfer so the transfer logic is reached): never an
 * exception; every answer decodes, is a response with the request's ID, and fits the transport.
 */
class ZoneRequestFuzzTest {

    static final Simulation SIM = new Simulation(11);
    static final Handler DISPATCHER;
    static final Endpoint SOURCE = new Endpoint(InetAddress.ofLiteral("192.0.2.9"), 5353);
    static final Endpoint US = new Endpoint(InetAddress.ofLiteral("192.0.2.1"), 53);

    static {
        MemKv kv = new MemKv(SIM.clock());
        ZoneOptions options = new ZoneOptions();
        options.allowTransfer.add("192.0.2.0/24");
        options.pollSeconds = 0;
        ZoneManagement zm = SIM.scheduler().runUntil(ZoneManagement.start(kv, java.util.Optional.empty(), null, SIM.scheduler(), SIM.clock(), SIM.random(),
                SIM.log("fuzz", LogLevel.ERROR), options)).value().orElseThrow();
        DISPATCHER = zm.handler(java.util.Optional.empty());
    }

    @FuzzTest(maxDuration = "20s")
    void zoneRequestsGetAnswersThatFit(byte[] data) {
        Bytes wire = Bytes.of(data);
        if (!(MessageCodec.decode(wire) instanceof Result.Ok<Message, DecodeError>(Message m)) || m.header().qr()) {
            return; // the shell answers undecodable bytes and drops responses before any handler
        }
        boolean tcp = data.length > 0 && (data[data.length - 1] & 1) == 1;
        int limit = tcp ? 65535 : m.edns().map(e -> Math.max(512, e.udpPayloadSize())).orElse(512);
        Request request = new Request(m, wire, SOURCE, US, tcp ? Request.Transport.TCP : Request.Transport.UDP, limit,
                SIM.clock().now());
        Promise<List<Bytes>> answered = SIM.scheduler().runUntil(DISPATCHER.handle(request));
        for (Bytes answer : answered.value()) {
            assertTrue(answer.size() <= limit, answer.size() + " bytes over " + limit);
            Message back = MessageCodec.decode(answer).orElseThrow();
            assertTrue(back.header().qr() && back.header().id() == m.header().id(), "a response with the request's ID");
        }
    }
}
