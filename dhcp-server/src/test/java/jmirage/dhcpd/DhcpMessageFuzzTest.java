package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.wire.ParseError;

/**
 * Arbitrary datagrams into the shared DHCP codec and the server core: options, the overload option
 * 52 (options in file and sname), a missing or wrong cookie, truncation anywhere. Only typed errors
 * come out; what parses survives an encode and parse unchanged; the core answers or ignores it
 * without an exception, and a reply is never larger than a few times the request.
 */
class DhcpMessageFuzzTest {

    private static final DhcpConfig CONFIG = ConfigParser.parse(DhcpCoreTest.CONF).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void arbitraryDatagramsParseOrFailCleanly(FuzzedDataProvider data) {
        int shape = data.consumeInt(0, 3);
        byte[] input;
        if (shape == 0) {
            input = data.consumeRemainingAsBytes(); // anything at all, cookie or not
        } else {
            // A valid fixed part and cookie, so the fuzzer spends its time in the options, file and sname.
            byte[] fixed = new byte[240];
            fixed[0] = 1;
            fixed[1] = 1;
            fixed[2] = 6;
            fixed[3] = (byte) data.consumeInt(0, 20);
            fixed[236] = 0x63;
            fixed[237] = (byte) 0x82;
            fixed[238] = 0x53;
            fixed[239] = 0x63;
            byte[] sname = data.consumeBytes(64);
            byte[] file = data.consumeBytes(128);
            System.arraycopy(sname, 0, fixed, 44, sname.length);
            System.arraycopy(file, 0, fixed, 108, file.length);
            if (shape == 2) {
                fixed[24] = 10; // a relayed message (giaddr 10.1.0.1)
                fixed[25] = 1;
                fixed[27] = 1;
            }
            byte[] options = data.consumeRemainingAsBytes();
            input = new byte[fixed.length + options.length];
            System.arraycopy(fixed, 0, input, 0, fixed.length);
            System.arraycopy(options, 0, input, fixed.length, options.length);
        }
        Result<DhcpMessage, ParseError> parsed = DhcpMessage.parse(Bytes.of(input));
        if (!(parsed instanceof Result.Ok<DhcpMessage, ParseError>(DhcpMessage m))) {
            return;
        }
        assertTrue(!m.options().containsKey(DhcpMessage.OPT_OVERLOAD), "overload is consumed by the parser");
        DhcpMessage again = DhcpMessage.parse(m.encode()).orElseThrow();
        assertEquals(m, again, "encode then parse gives the same message");

        DhcpCore core = new DhcpCore(CONFIG, DhcpCore.Settings.DEFAULT);
        DhcpCore.Outcome out = core.handle(new LeaseDb(), new DhcpCore.Inbound(m, DhcpCoreTest.SERVER), Instant.parse("2026-01-01T00:00:00Z"));
        if (out instanceof DhcpCore.Outcome.Reply(DhcpMessage reply, var to, var _)) {
            Bytes encoded = reply.encode();
            assertTrue(encoded.size() <= 2 * input.length + 1024, "reply of " + encoded.size() + " bytes to " + input.length);
            assertEquals(reply, DhcpMessage.parse(encoded).orElseThrow());
        }
    }
}
