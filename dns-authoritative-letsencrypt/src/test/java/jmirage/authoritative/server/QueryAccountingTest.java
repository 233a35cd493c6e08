package jmirage.authoritative.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** The query log's rate limit, on the simulation's virtual clock: a burst, then the rate, and a count of what was left out. */
class QueryAccountingTest {

    final Simulation sim = new Simulation(5);

    List<String> lines() {
        return sim.records().stream().filter(r -> r.level() == LogLevel.INFO).map(LogRecord::message).toList();
    }

    @Test
    void aFloodMakesTheBurstOfLinesThenOneLineCountingTheRest() throws Exception {
        QueryAccounting accounting = new QueryAccounting(new Metrics(), sim.clock(), sim.log("query", LogLevel.INFO));
        Endpoint client = new Endpoint(InetAddress.getByName("192.0.2.7"), 5353);
        Bytes wire = MessageCodec.encode(Message.query(1, Name.of("www.example.test."), Type.AAAA, Optional.empty()));
        Request request = new Request(MessageCodec.decode(wire).orElseThrow(), wire, client,
                new Endpoint(InetAddress.getByName("192.0.2.53"), 53), Request.Transport.UDP, 512, Instant.EPOCH);
        Bytes nxdomain = Bytes.of(new byte[] {0, 1, (byte) 0x84, 3, 0, 0, 0, 0, 0, 0, 0, 0});

        for (int i = 0; i < QueryAccounting.LOG_BURST + 30; i++) {
            accounting.answered(request, List.of(nxdomain));
        }
        assertEquals(QueryAccounting.LOG_BURST, lines().size());
        assertEquals("query 192.0.2.7#5353 udp www.example.test. AAAA NXDOMAIN", lines().getFirst());

        sim.scheduler().runFor(Duration.ofSeconds(1));
        accounting.answered(request, List.of());
        List<String> after = lines().subList(QueryAccounting.LOG_BURST, lines().size());
        assertEquals(List.of("30 query log line(s) left out (over 20 a second)",
                "query 192.0.2.7#5353 udp www.example.test. AAAA none"), after);
    }
}
