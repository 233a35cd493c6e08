package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jmirage.authoritative.zone.RRset;
import jmirage.dns.Record;
import jmirage.host.HostStack;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The unikernel on the host target bound to ::1: dig over UDP and TCP on IPv6. */
@Tag("peer")
class Ipv6Test {

    static final int PORT = 21054;

    @Test
    void digOverIpv6() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        List<RRset> sets = DigQueries.authoritativeSets(TestZones.zone());
        try (Harness server = Harness.start((s, c, r, l) -> new HostStack(s, InetAddress.ofLiteral("::1")), PORT,
                Map.of("example.test", TestZones.text()))) {
            for (List<String> transport : List.of(List.<String>of(), List.of("+tcp"))) {
                List<String> cmd = new java.util.ArrayList<>(List.of("dig", "@::1", "-p", String.valueOf(PORT), "+norec",
                        "+noall", "+answer", "+unknownformat", "+time=5"));
                cmd.addAll(transport);
                List<String> args = DigQueries.arguments(sets);
                for (int i = 0; i < args.size(); i += 2) {
                    cmd.add(args.get(i));
                    cmd.add(args.get(i + 1));
                    cmd.addAll(transport);
                }
                Ran run = Command.of(cmd).run();
                assertEquals(0, run.exit(), run.err());
                Set<Record> got = DigQueries.parse(run.out());
                assertEquals(DigQueries.records(sets), got, "over " + (transport.isEmpty() ? "UDP" : "TCP"));
            }
        }
    }
}
