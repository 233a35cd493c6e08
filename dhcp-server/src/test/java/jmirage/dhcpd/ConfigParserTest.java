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
    void theSampleOfTheReadmeParses() throws Exception {
        DhcpConfig c = ConfigParser.parse(java.nio.file.Files.readString(java.nio.file.Path.of("dhcpd.conf.sample"))).orElseThrow();
        assertEquals(2, c.subnets().size());
        assertEquals(2, c.hosts().size());
        assertEquals(100, c.subnets().getFirst().poolSize());
    }
}
