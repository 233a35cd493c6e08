package jmirage.dhcpd;

import static jmirage.dhcpd.Msg.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.net.dhcp.DhcpMessage;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    @Test
    void charruasSampleParsesAsIs() throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/charrua-dhcpd.conf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        DhcpConfig c = ConfigParser.parse(text).orElseThrow();
        assertEquals(1, c.subnets().size());
        DhcpConfig.Subnet s = c.subnets().getFirst();
        assertEquals("192.168.1.0/24", s.network().toString());
        assertEquals(31, s.poolSize());
        assertEquals("charrua", s.options().get(DhcpMessage.OPT_DOMAIN_NAME).toUtf8());
        assertEquals(Bytes.fromHex("c0a80101"), s.options().get(DhcpMessage.OPT_ROUTER));
        assertEquals(2, c.hosts().size());
        assertEquals(ip("192.168.1.10"), c.hostFor(java.util.Optional.empty(),
                MacAddress.parse("00:1d:72:80:e9:10").orElseThrow()).orElseThrow().fixedAddress());
        assertEquals(Duration.ofHours(12), s.defaultLease());
    }

    private static String error(String text) {
        return switch (ConfigParser.parse(text)) {
            case Result.Err<DhcpConfig, String>(String e) -> e;
            case Result.Ok<DhcpConfig, String> ok -> "parsed";
        };
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertEquals("line 2: unknown option 'routerz'", error("subnet 10.0.0.0 netmask 255.0.0.0 {\n option routerz 10.0.0.1;\n}"));
        assertEquals("line 1: 'shared-network' is not supported in the top level", error("shared-network x { }"));
        assertEquals("line 1: range 10.1.0.1 10.1.0.9 is not inside subnet 10.0.0.0/16",
                error("subnet 10.0.0.0 netmask 255.255.0.0 { range 10.1.0.1 10.1.0.9; }"));
        assertEquals("line 1: unexpected end of file", error("subnet 10.0.0.0 netmask 255.255.0.0 {"));
        assertTrue(error("subnet 10.0.0.0 netmask 255.0.0.0 { }\nsubnet 10.1.0.0 netmask 255.255.0.0 { }").contains("overlap"));
        assertTrue(error("subnet 10.0.0.1 netmask 255.0.0.0 { }").contains("host bits"));
        assertTrue(error("host a { fixed-address 10.0.0.9; }").contains("needs hardware ethernet"));
        assertTrue(error("option interface-mtu 20;").contains("MTU"));
        assertTrue(error("option domain-name \"x").contains("unterminated"));
    }

    @Test
    void twoHostsCannotShareAnAddressOrAnIdentity() {
        // Two machines told the same fixed address would both use it: the second entry is an error.
        assertEquals("line 3: host b: fixed-address 10.0.0.9 is already host a's (line 2)", error("""
                subnet 10.0.0.0 netmask 255.255.255.0 {
                  host a { hardware ethernet 02:00:00:00:00:01; fixed-address 10.0.0.9; }
                  host b { hardware ethernet 02:00:00:00:00:02; fixed-address 10.0.0.9; }
                }"""));
        // The same MAC or client identifier twice: the second host could never match.
        assertEquals("line 3: host b: hardware ethernet 02:00:00:00:00:01 is already host a's (line 2)", error("""
                subnet 10.0.0.0 netmask 255.255.255.0 {
                  host a { hardware ethernet 02:00:00:00:00:01; fixed-address 10.0.0.8; }
                  host b { hardware ethernet 02:00:00:00:00:01; fixed-address 10.0.0.9; }
                }"""));
        assertTrue(error("""
                subnet 10.0.0.0 netmask 255.255.255.0 {
                  host a { option dhcp-client-identifier "x"; fixed-address 10.0.0.8; }
                  host b { option dhcp-client-identifier "x"; fixed-address 10.0.0.9; }
                }""").startsWith("line 3: host b: client identifier"));
    }

    @Test
    void classlessRoutesMustBeCleanAndKeepTheDefaultRoute() {
        // RFC 3442: the destination is a subnet number; host bits would reach clients as another route.
        assertEquals("line 2: option classless-static-routes: 10.1.2.3/12 has host bits set (the network is 10.0.0.0/12)",
                error("subnet 10.0.0.0 netmask 255.255.255.0 {\n option classless-static-routes 10.1.2.3/12 10.0.0.1;\n}"));
        assertEquals("line 1: option classless-static-routes: expected ADDRESS/PREFIX-LENGTH, got bogus",
                error("option classless-static-routes bogus 10.0.0.1;"));
        // RFC 3442: a client that takes option 121 ignores option 3, so without 0.0.0.0/0 it has no default route.
        assertEquals("line 3: option classless-static-routes has no 0.0.0.0/0 route, but subnet 10.0.0.0/24 has routers:"
                + " clients that use option 121 ignore routers (RFC 3442), add 0.0.0.0/0 ROUTER",
                error("subnet 10.0.0.0 netmask 255.255.255.0 {\n option routers 10.0.0.1;\n"
                        + " option classless-static-routes 192.168.5.0/24 10.0.0.9;\n}"));
        assertEquals("parsed", error("subnet 10.0.0.0 netmask 255.255.255.0 {\n option routers 10.0.0.1;\n"
                + " option classless-static-routes 192.168.5.0/24 10.0.0.9, 0.0.0.0/0 10.0.0.1;\n}"));
    }

    @Test
    void whereAndWhatAStaticHostOrASubnetIsWrong() {
        assertEquals("line 2: subnet 10.1.0.0/16 overlaps subnet 10.0.0.0/8 (line 1)",
                error("subnet 10.0.0.0 netmask 255.0.0.0 { }\nsubnet 10.1.0.0 netmask 255.255.0.0 { }"));
        assertEquals("line 3: range 10.0.0.15 10.0.0.25 overlaps range 10.0.0.10-10.0.0.20",
                error("subnet 10.0.0.0 netmask 255.255.255.0 {\n range 10.0.0.10 10.0.0.20;\n range 10.0.0.15 10.0.0.25;\n}"));
        assertEquals("line 2: host a: fixed-address 192.168.1.9 is in no declared subnet",
                error("subnet 10.0.0.0 netmask 255.0.0.0 { }\nhost a { hardware ethernet 02:00:00:00:00:01; fixed-address 192.168.1.9; }"));
        // The gateway's address given to a laptop: it would answer ARP for everyone's default route.
        assertEquals("line 3: host a: fixed-address 10.0.0.1 is a router or resolver of subnet 10.0.0.0/24",
                error("subnet 10.0.0.0 netmask 255.255.255.0 {\n option routers 10.0.0.1;\n"
                        + " host a { hardware ethernet 02:00:00:00:00:01; fixed-address 10.0.0.1; }\n}"));
        assertEquals("line 2: host a: fixed-address 10.0.0.255 is the network or broadcast address of subnet 10.0.0.0/24",
                error("subnet 10.0.0.0 netmask 255.255.255.0 {\n host a { hardware ethernet 02:00:00:00:00:01; fixed-address 10.0.0.255; }\n}"));
    }

    @Test
    void theSampleOfTheReadmeParses() throws Exception {
        DhcpConfig c = ConfigParser.parse(java.nio.file.Files.readString(java.nio.file.Path.of("dhcpd.conf.sample"))).orElseThrow();
        assertEquals(2, c.subnets().size());
        assertEquals(2, c.hosts().size());
        assertEquals(100, c.subnets().getFirst().poolSize());
    }
}
