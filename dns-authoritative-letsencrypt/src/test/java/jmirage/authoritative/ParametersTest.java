package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theAcmeParametersAreCheckedBeforeBoot() {
        AuthoritativeDns.Parameters name = new AuthoritativeDns.Parameters();
        name.certify.directory = "https://acme-staging-v02.api.letsencrypt.org/directory";
        assertEquals("--acme-directory: the host acme-staging-v02.api.letsencrypt.org needs --acme-resolver IP[:PORT] to be"
                + " found (the server resolves no names by itself), or give the directory with an IP address", refusal(name));
        name.certify.resolver = "127.0.0.1:99999";
        assertTrue(refusal(name).startsWith("--acme-resolver: "), refusal(name));
        name.certify.resolver = "127.0.0.53";
        name.certify.ca = "_acme/../x";
        assertTrue(refusal(name).startsWith("--acme-ca: "), refusal(name));

        AuthoritativeDns.Parameters http = new AuthoritativeDns.Parameters();
        http.certify.directory = "http://127.17.2.1:14000/dir";
        http.certify.ca = "ca.pem";
        http.certify.email = "not an address";
        assertEquals("--acme-directory: 'http://127.17.2.1:14000/dir' is not an https:// URL with a host (RFC 8555 6.1: ACME is"
                + " over HTTPS); --acme-ca: 'ca.pem' would be read as a zone file (the store's top level holds zones): put it under"
                + " _acme/, e.g. _acme/ca.pem; --acme-email: 'not an address' is not one mail address", refusal(http));

        AuthoritativeDns.Parameters alone = new AuthoritativeDns.Parameters();
        alone.certify.email = "ops@example.test";
        assertEquals("--acme-email: needs --acme-directory (the certify role is off without it)", refusal(alone));
    }
}
