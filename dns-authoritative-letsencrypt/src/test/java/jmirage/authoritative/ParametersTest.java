package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jmirage.core.Result;
import jmirage.core.Unikernel;
import org.junit.jupiter.api.Test;

/** Bad boot parameters are refused before any device is touched, with what is wrong. */
class ParametersTest {

    private static String refusal(AuthoritativeDns.Parameters p) {
        AuthoritativeDns dns = new AuthoritativeDns();
        // no devices at all: the parameters are checked first
        var started = dns.start(new AuthoritativeDns.Devices(null, null, null, null, null, java.util.Optional.empty(), null, null), p);
        return switch (started.value()) {
            case Result.Err<Unikernel.Running, String>(String why) -> why;
            case Result.Ok<Unikernel.Running, String> ok -> "started";
        };
    }

    @Test
    void eachBadParameterIsNamed() {
        AuthoritativeDns.Parameters port = new AuthoritativeDns.Parameters();
        port.port = 70000;
        assertEquals("--port: must be 0 to 65535, got 70000", refusal(port));
        AuthoritativeDns.Parameters tcp = new AuthoritativeDns.Parameters();
        tcp.tcpPerSource = 0;
        tcp.rrlSlip = -1;
        assertEquals("--rrl-slip: must be 0 or more, got -1; --tcp-per-source: must be 1 or more, got 0", refusal(tcp));
        AuthoritativeDns.Parameters nsid = new AuthoritativeDns.Parameters();
        nsid.nsid = "x".repeat(256);
        assertEquals("--nsid: must be 1 to 255 bytes", refusal(nsid));
    }
}
