package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.ClientFqdn;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.HostNames;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseCodec;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.dhcpd.core.LeaseRecordError;
import jmirage.net.dhcp.DhcpMessage;

/**
 * Arbitrary options 81 and 12 (a client's name, from the network) in a REQUEST to a server that
 * sends DNS updates: the option parses or is its typed error, what parses encodes back to itself,
 * the core ACKs without an exception, and the name it keeps is one the lease store writes and reads
 * back (an LDH name under the configured domain).
 */
class ClientFqdnFuzzTest {

    private static final DhcpConfig CONFIG = ConfigParser.parse(DdnsCoreTest.CONF).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void clientNamesParseOrFailCleanly(FuzzedDataProvider data) {
        boolean fqdnOption = data.consumeBoolean();
        Bytes hostName = Bytes.of(data.consumeBytes(data.consumeInt(0, 80)));
        Bytes fqdn = Bytes.of(data.consumeRemainingAsBytes());
        if (fqdn.size() > 255) {
            return; // an option is at most 255 bytes (RFC 2132 2)
        }
        switch (ClientFqdn.parse(fqdn)) {
            case Result.Ok<ClientFqdn, ClientFqdn.FqdnError>(ClientFqdn f) ->
                    assertEquals(f, ClientFqdn.parse(f.encode(false)).orElseThrow(), "encode then parse gives the same option");
            case Result.Err<ClientFqdn, ClientFqdn.FqdnError>(ClientFqdn.FqdnError e) -> assertTrue(!e.describe().isEmpty());
        }
        Map<Integer, Bytes> options = new LinkedHashMap<>(Msg.type(DhcpMessage.REQUEST));
        options.put(DhcpMessage.OPT_REQUESTED_IP, Msg.addr(Msg.ip("10.0.0.100")));
        if (!hostName.isEmpty()) {
            options.put(DhcpMessage.OPT_HOSTNAME, hostName);
        }
        if (fqdnOption) {
            options.put(ClientFqdn.OPTION, fqdn);
        }
        DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREQUEST, 7, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, Msg.mac(7), options, 0, 0,
                Msg.ZERO, Bytes.EMPTY, Bytes.EMPTY);
        DhcpCore core = new DhcpCore(CONFIG, DhcpCore.Settings.DEFAULT);
        DhcpCore.Outcome out = core.handle(new LeaseDb(), new DhcpCore.Inbound(m, DdnsCoreTest.SERVER),
                Instant.parse("2026-01-01T00:00:00Z"));
        for (Lease l : out.durable()) {
            l.fqdn().ifPresent(n -> assertTrue(HostNames.ldh(n), n + " is not an LDH name"));
            assertEquals(Result.<Lease, LeaseRecordError>ok(l), LeaseCodec.decodeLine(LeaseCodec.line(l)));
        }
        if (out instanceof DhcpCore.Outcome.Reply(DhcpMessage reply, var to, var _)) {
            assertEquals(reply, DhcpMessage.parse(reply.encode()).orElseThrow());
        }
    }
}
