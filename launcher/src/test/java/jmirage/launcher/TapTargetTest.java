package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
import jmirage.core.net.MacAddress;
import jmirage.core.net.IpPrefix;
import jmirage.net.Ipv4Config;
import jmirage.net.Ipv6Config;
import org.junit.jupiter.api.Test;

/** The tap target's parameters, checked before anything opens; and --pcap refused on the host target. */
class TapTargetTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static CommonParameters common(String tap, String ipv4, String gateway, String mac, String pcap) {
        CommonParameters c = new CommonParameters();
        c.target = CommonParameters.Target.tap;
        c.tap = tap;
        c.ipv4 = ipv4;
        c.ipv4Gateway = gateway;
        c.mac = mac;
        c.pcap = pcap;
        return c;
    }

    private static TapParameterError refused(CommonParameters c) {
        return switch (TapTarget.parse(c)) {
            case Result.Err<TapTarget.Network, TapParameterError>(TapParameterError e) -> e;
            case Result.Ok<TapTarget.Network, TapParameterError>(TapTarget.Network n) -> throw new AssertionError("accepted: " + n);
        };
    }

    private static String error(CommonParameters c) {
        return refused(c).describe();
    }

    @Test
    void aStaticAddressWithGatewayMacAndPcap() throws Exception {
        TapTarget.Network parsed = TapTarget.parse(common("tap0", "10.77.0.2/24", "10.77.0.1", "02:77:00:00:00:02", "x.pcap"))
                .orElseThrow();
        TapTarget.Interface n = parsed.single().orElseThrow();
        assertEquals("tap0", n.tap());
        assertEquals(new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.77.0.2/24").orElseThrow(),
                Optional.of((java.net.Inet4Address) InetAddress.getByName("10.77.0.1"))), n.ipv4());
        assertEquals(Optional.of(MacAddress.parse("02:77:00:00:00:02").orElseThrow()), n.mac());
        assertEquals(Optional.of(Path.of("x.pcap")), parsed.pcap());
        assertEquals(Map.of(), parsed.named());
    }

    @Test
    void withoutIpv4ItIsDhcpAndTheMacIsLeftToTheDevice() {
        TapTarget.Network parsed = TapTarget.parse(common("tap1", null, null, null, null)).orElseThrow();
        TapTarget.Interface n = parsed.single().orElseThrow();
        assertEquals(new Ipv4Config.Dhcp(), n.ipv4());
        assertEquals(Optional.empty(), n.mac());
        assertEquals(Optional.empty(), parsed.pcap());
    }

    @Test
    void badNetworkParametersAreRefusedWithTheParameterNamed() {
        assertTrue(error(common(null, "10.77.0.2/24", null, null, null)).contains("--tap DEV"));
        assertTrue(error(common("tap0", "10.77.0.2", null, null, null)).startsWith("--ipv4:"));
        assertTrue(error(common("tap0", "10.77.0.2/33", null, null, null)).startsWith("--ipv4:"));
        assertTrue(error(common("tap0", "::1/64", null, null, null)).startsWith("--ipv4:"));
        assertTrue(error(common("tap0", null, "10.77.0.1", null, null)).contains("--ipv4-gateway goes with an address"));
        assertTrue(error(common("tap0", "10.77.0.2/24", "10.78.0.1", null, null)).contains("is not on 10.77.0.2/24"));
        assertTrue(error(common("tap0", "10.77.0.2/24", "::1", null, null)).startsWith("--ipv4-gateway:"));
        assertTrue(error(common("tap0", "10.77.0.2/24", null, "02:77:00:00:00", null)).startsWith("--mac:"));
        assertTrue(error(common("tap0", "10.77.0.2/24", null, "01:00:5e:00:00:01", null)).contains("multicast"));
        assertEquals(new TapParameterError.MissingTap(), refused(common(null, null, null, null, null)));
        assertEquals(new TapParameterError.BadAddress("--ipv4", "10.77.0.2", new AddressError.MissingPrefixLength("10.77.0.2")),
                refused(common("tap0", "10.77.0.2", null, null, null)));
        assertEquals(new TapParameterError.BadAddress("--ipv4", "::1/64", new AddressError.WrongFamily("::1/64", 4)),
                refused(common("tap0", "::1/64", null, null, null)));
        assertEquals(new TapParameterError.GatewayOffSubnet("--ipv4-gateway", "10.78.0.1", "10.77.0.2/24"),
                refused(common("tap0", "10.77.0.2/24", "10.78.0.1", null, null)));
        assertEquals(new TapParameterError.GatewayWithoutAddress("--ipv4-gateway", "10.77.0.1"), refused(common("tap0", null, "10.77.0.1", null, null)));
    }

    private static CommonParameters nets(String tap, String... nets) {
        CommonParameters c = common(tap, null, null, null, null);
        c.nets = List.of(nets);
        return c;
    }

    @Test
    void networksByRoleWithTheirOwnAddressesGatewaysAndMacs() throws Exception {
        TapTarget.Network parsed = TapTarget.parse(nets(null, "uplink=tap0,ipv4=192.0.2.10/24,gateway=192.0.2.1",
                "private=tap1,mac=02:00:00:00:00:01,ipv4=10.0.0.1/24", "dmz=tap2")).orElseThrow();
        assertEquals(Optional.empty(), parsed.single());
        assertEquals(List.of("uplink", "private", "dmz"), List.copyOf(parsed.named().keySet()));
        TapTarget.Interface uplink = parsed.named().get("uplink");
        assertEquals("tap0", uplink.tap());
        assertEquals(new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("192.0.2.10/24").orElseThrow(),
                Optional.of((java.net.Inet4Address) InetAddress.getByName("192.0.2.1"))), uplink.ipv4());
        assertEquals(Optional.of(MacAddress.parse("02:00:00:00:00:01").orElseThrow()), parsed.named().get("private").mac());
        assertEquals(new Ipv4Config.Dhcp(), parsed.named().get("dmz").ipv4());
        assertEquals(Path.of("/tmp/f-uplink.pcap"), TapTarget.TapDevices.perNetwork(Path.of("/tmp/f.pcap"), "uplink"));
        assertEquals(Path.of("frames-private"), TapTarget.TapDevices.perNetwork(Path.of("frames"), "private"));
    }

    @Test
    void badNetworksAreRefusedNamingTheNetworkAndTheKey() {
        assertTrue(error(nets(null, "uplink=tap0,ipv4=10.0.0.300/24")).startsWith("--net uplink: ipv4=: "));
        assertEquals(new TapParameterError.GatewayOffSubnet("--net uplink: gateway=", "10.1.0.1", "10.0.0.2/24"),
                refused(nets(null, "uplink=tap0,ipv4=10.0.0.2/24,gateway=10.1.0.1")));
        assertEquals(new TapParameterError.GatewayWithoutAddress("--net uplink: gateway=", "10.1.0.1"),
                refused(nets(null, "uplink=tap0,gateway=10.1.0.1")));
        assertTrue(error(nets(null, "uplink=tap0,mac=01:00:5e:00:00:01")).startsWith("--net uplink: mac=: "));
        assertEquals(new TapParameterError.BadNetKey("uplink", "ipv5"), refused(nets(null, "uplink=tap0,ipv5=::1/64")));
        assertEquals(new TapParameterError.BadNetKey("uplink", "ipv4"), refused(nets(null, "uplink=tap0,ipv4=10.0.0.2/24,ipv4=10.0.0.3/24")));
        assertEquals(new TapParameterError.BadNetKey("uplink", "mtu"), refused(nets(null, "uplink=tap0,mtu")));
        for (String bad : List.of("tap0", "Uplink=tap0", "uplink=", "=tap0", "uplink=a/b", "uplink=sixteen-chars-xx")) {
            assertEquals(new TapParameterError.BadNet(bad), refused(nets(null, bad)), bad);
        }
        assertEquals(new TapParameterError.RepeatedNet("uplink"), refused(nets(null, "uplink=tap0", "uplink=tap1")));
        assertEquals(new TapParameterError.SameTap("tap0", "--net uplink", "--net private"),
                refused(nets(null, "uplink=tap0", "private=tap0")));
        assertEquals(new TapParameterError.SameTap("tap0", "--tap", "--net private"), refused(nets("tap0", "private=tap0")));
        CommonParameters ipv4WithoutTap = nets(null, "uplink=tap0");
        ipv4WithoutTap.ipv4 = "10.0.0.2/24";
        assertEquals(new TapParameterError.WithoutTap("--ipv4"), refused(ipv4WithoutTap));
    }

    @Test
    void aNetworkTheUnikernelDoesNotClaimIsAUsageErrorBeforeAnythingOpens() {
        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--target", "tap", "--net", "uplink=tap9"));
        assertTrue(err.toString().contains("--net uplink: echo claims no network by name"), err.toString());
        assertEquals(Optional.of(new TapParameterError.NetNotClaimed("dmz", "router", List.of("uplink", "private"))),
                TapTarget.mismatch(List.of("uplink=tap0", "dmz=tap1"), "router", Optional.of(List.of(
                        new jmirage.core.net.NetworkClaim("uplink", "out"), new jmirage.core.net.NetworkClaim("private", "in")))));
        assertEquals(Optional.empty(), TapTarget.mismatch(List.of("dmz=tap1"), "router", Optional.empty()), "the probe could not tell");
    }

    @Test
    void ipv6IsSlaacByDefaultStaticWithAPrefixOrOff() throws Exception {
        assertEquals(new Ipv6Config.Slaac(), TapTarget.parse(common("tap0", null, null, null, null)).orElseThrow().single().orElseThrow().ipv6());
        assertEquals(Result.ok(new Ipv6Config.Disabled()), TapTarget.ipv6("off", null, NAMES));
        assertEquals(Result.ok(new Ipv6Config.Static(IpPrefix.parse("fd00:24:7::2/64").orElseThrow(),
                Optional.of((Inet6Address) InetAddress.getByName("fe80::1")))), TapTarget.ipv6("fd00:24:7::2/64", "fe80::1", NAMES));
        assertEquals(Result.ok(new Ipv6Config.Static(IpPrefix.parse("fd00:24:7::2/64").orElseThrow(),
                Optional.of((Inet6Address) InetAddress.getByName("fd00:24:7::1")))), TapTarget.ipv6("fd00:24:7::2/64", "fd00:24:7::1", NAMES));
        TapTarget.Network net = TapTarget.parse(nets(null, "uplink=tap0,ipv6=off", "private=tap1,ipv6=fd00:24:7::1/64,ipv6-gateway=fe80::1"))
                .orElseThrow();
        assertEquals(new Ipv6Config.Disabled(), net.named().get("uplink").ipv6());
        assertEquals(new Ipv6Config.Static(IpPrefix.parse("fd00:24:7::1/64").orElseThrow(),
                Optional.of((Inet6Address) InetAddress.getByName("fe80::1"))), net.named().get("private").ipv6());
        assertEquals("--net uplink: ipv6-gateway= goes with an IPv6 ADDR/N; with slaac, router advertisements give the routers",
                refused(nets(null, "uplink=tap0,ipv6-gateway=fe80::1")).describe());
    }

    static final TapTarget.Given NAMES = new TapTarget.Given("--ipv4", "--ipv4-gateway", "--ipv6", "--ipv6-gateway", "--mac");

    private static TapParameterError ipv6Error(String ipv6, String gateway) {
        return switch (TapTarget.ipv6(ipv6, gateway, NAMES)) {
            case Result.Err<Ipv6Config, TapParameterError>(TapParameterError e) -> e;
            case Result.Ok<Ipv6Config, TapParameterError>(Ipv6Config c) -> throw new AssertionError("accepted: " + c);
        };
    }

    @Test
    void badIpv6ParametersAreRefusedInOneLineNamingTheParameter() {
        assertEquals(new TapParameterError.BadIpv6("--ipv6", "fd00::2", new AddressError.MissingPrefixLength("fd00::2")),
                ipv6Error("fd00::2", null));
        assertEquals(new TapParameterError.BadIpv6("--ipv6", "10.0.0.2/24", new AddressError.WrongFamily("10.0.0.2/24", 6)),
                ipv6Error("10.0.0.2/24", null));
        assertEquals(new TapParameterError.Ipv6GatewayWithoutAddress("--ipv6-gateway", "fe80::1", "slaac"), ipv6Error(null, "fe80::1"));
        assertEquals(new TapParameterError.Ipv6GatewayOffLink("--ipv6-gateway", "fd00:25::1", "fd00:24::2/64"),
                ipv6Error("fd00:24::2/64", "fd00:25::1"));
        for (String[] bad : new String[][] {{"fd00::2/129", null}, {"dhcp", null}, {"fd00::2/64", "10.0.0.1"}, {"fd00::2/64", "x"},
                {"off", "fe80::1"}}) {
            String message = ipv6Error(bad[0], bad[1]).describe();
            assertTrue(message.startsWith(bad[1] == null ? "--ipv6: " : "--ipv6-gateway"), message);
            assertFalse(message.contains("\n"), message);
        }
        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--target", "tap", "--tap", "tap0", "--ipv6", "fd00::2"));
        assertTrue(err.toString().contains("echo: --ipv6: expected ADDR/N, slaac or off; expected ADDRESS/PREFIX-LENGTH, got fd00::2"),
                err.toString());
    }

    @Test
    void theLauncherReportsThemAsUsageErrors() {
        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--target", "tap", "--ipv4", "10.77.0.2/24"));
        assertTrue(err.toString().contains("echo: --target tap needs --tap DEV"), err.toString());
    }

    @Test
    void theHostTargetRefusesPcap() {
        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--pcap", "frames.pcap"));
        assertTrue(err.toString().contains("--pcap records Ethernet frames, and the host target has none"), err.toString());
    }

    @Test
    void helpNamesTheTapParameters() {
        assertEquals(0, run("run", "echo", "--help"));
        for (String expected : new String[] {"--tap=DEV", "--ipv4=A.B.C.D/N", "--ipv4-gateway=A.B.C.D", "--ipv6=ADDR/N|slaac|off",
                "--ipv6-gateway=ADDR", "--mac=MAC",
                "--pcap=FILE", "host, tap"}) {
            assertTrue(out.toString().contains(expected), expected + " in\n" + out);
        }
    }
}
