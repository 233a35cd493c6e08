package jmirage.qubes.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jmirage.core.net.IpAddresses;
import jmirage.qubes.firewall.TapFirewall;
import jmirage.qubes.rules.Classifier;
import jmirage.qubes.rules.ClientRules;
import jmirage.qubes.rules.Probe;
import jmirage.qubes.rules.Rule;
import jmirage.qubes.rules.Rule.Action;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules' semantics against Qubes' own firewall: the same QubesDB rules turned into nftables as
 * qubes-core-agent-linux's {@code NftablesWorker} does ({@link Nftables}), loaded into a Linux router
 * in a network namespace between a client namespace and an upstream one; hundreds of probe flows (TCP
 * SYNs, UDP datagrams, ICMP messages, generated from a seed) sent by the client; a probe that arrives
 * upstream was accepted. The verdicts must be those of {@link Classifier} for every probe of every
 * rule set. Then the same probes go through the unikernel booted on the tap target in the router's
 * place ({@link TapFirewall}: client A, the rules put in its feed, its dsthost names resolved by a DNS
 * server upstream), and its verdicts must be the same, but for one difference of the NAT: it
 * translates ICMP echo only (as the anchor's mirage-nat), so an accepted timestamp request does not
 * leave.
 */
@Tag("root")
@Tag("peer")
class NftablesDifferentialTest {

    static final String SUFFIX = NetNamespace.uniqueSuffix();
    static final NetNamespace CLIENT_NS = new NetNamespace("qfc" + SUFFIX);
    static final NetNamespace ROUTER_NS = new NetNamespace("qfr" + SUFFIX);
    static final NetNamespace UPSTREAM_NS = new NetNamespace("qfu" + SUFFIX);
    static final int SUBNET = NetNamespace.randomSubnet();
    static final InetAddress CLIENT = ip("10.28." + SUBNET + ".2");

    static final InetAddress SERVER = ip("10.137.0.5");
    static final List<InetAddress> DESTINATIONS = List.of(SERVER, ip("10.139.1.1"), ip("10.139.1.2"), ip("198.51.100.9"),
            ip("198.51.100.200"), ip("203.0.113.7"), ip("203.0.113.66"), ip("192.0.2.1"));
    static final Set<InetAddress> DNS = Set.of(ip("10.139.1.1"), ip("10.139.1.2"));
    static final Map<String, Set<InetAddress>> RESOLVED = Map.of(
            "allowed.example.org", Set.of(ip("203.0.113.7")),
            "pair.example.org", Set.of(ip("203.0.113.66"), ip("198.51.100.9")));
    static final List<Integer> PORTS = List.of(22, 53, 80, 443, 1235, 1338, 5353, 6667, 6668, 6670, 6671);
    static final List<Integer> ICMP_TYPES = List.of(8, 13);

    /** The unikernel's side: its client A sends the probes; specialtarget=dns the same servers, plus the dsthost resolver. */
    static final String UNIKERNEL_RESOLVER = "10.34.0.53";
    static TapFirewall unikernel;
    static Started resolver;

    @TempDir
    static Path dir;
    static int nextId;

    @BeforeAll
    static void network() {
        Sh.requireRootNetworking();
        Sh.requireCommand("nft", "nftables");
        Sh.requireCommand("python3", "python3");
        CLIENT_NS.create();
        ROUTER_NS.create();
        UPSTREAM_NS.create();
        link(CLIENT_NS, "eth0", ROUTER_NS, "vif0"); // Qubes' router passes what does not come from a vif* untouched
        link(ROUTER_NS, "eth0", UPSTREAM_NS, "eth0");
        CLIENT_NS.ip("addr", "add", CLIENT.getHostAddress() + "/24", "dev", "eth0");
        CLIENT_NS.ip("route", "add", "default", "via", "10.28." + SUBNET + ".1");
        ROUTER_NS.ip("addr", "add", "10.28." + SUBNET + ".1/24", "dev", "vif0");
        ROUTER_NS.ip("addr", "add", "10.29." + SUBNET + ".1/24", "dev", "eth0");
        ROUTER_NS.ip("route", "add", "default", "via", "10.29." + SUBNET + ".2");
        UPSTREAM_NS.ip("addr", "add", "10.29." + SUBNET + ".2/24", "dev", "eth0");
        UPSTREAM_NS.ip("route", "add", "10.28." + SUBNET + ".0/24", "via", "10.29." + SUBNET + ".1");
        Command.of(ROUTER_NS.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).run().ok();

        try {
            unikernel = TapFirewall.start(Map.of("qubes-clients/10.33.0.2/mac", "02:00:00:00:00:02",
                    "qubes-firewall/10.33.0.2/policy", "drop"), List.of(UNIKERNEL_RESOLVER, "10.139.1.1", "10.139.1.2"));
            List<String> answers = new ArrayList<>(List.of("python3", resource("dns-answer.py").toString(), UNIKERNEL_RESOLVER));
            RESOLVED.forEach((name, addresses) -> answers.add(name + "=" + addresses.stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(","))));
            resolver = Command.of(TapFirewall.UP.exec(answers)).timeout(Duration.ofMinutes(10)).start();
            resolver.awaitOutput("ready", Duration.ofSeconds(10));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A veth pair between two namespaces, each end renamed there and up. */
    static void link(NetNamespace a, String aName, NetNamespace b, String bName) {
        String left = "qa" + NetNamespace.uniqueSuffix();
        String right = "qb" + NetNamespace.uniqueSuffix();
        Sh.ok("ip", "link", "add", left, "type", "veth", "peer", "name", right);
        Sh.ok("ip", "link", "set", left, "netns", a.name());
        Sh.ok("ip", "link", "set", right, "netns", b.name());
        a.ip("link", "set", left, "name", aName);
        b.ip("link", "set", right, "name", bName);
        for (var end : List.of(Map.entry(a, aName), Map.entry(b, bName))) {
            end.getKey().ip("link", "set", end.getValue(), "up");
            end.getKey().ip("link", "set", "lo", "up");
        }
    }

    @AfterAll
    static void remove() throws Exception {
        if (resolver != null) {
            resolver.kill();
        }
        if (unikernel != null) {
            unikernel.close();
        }
        CLIENT_NS.delete();
        ROUTER_NS.delete();
        UPSTREAM_NS.delete();
    }

    static InetAddress ip(String text) {
        return IpAddresses.parse(text).orElseThrow();
    }

    @Test
    void theRulesOfTheAnchorsTestGiveTheSameVerdictsAsQubesNftables() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("policy", "drop");
        List<String> rules = List.of("action=accept specialtarget=dns",
                "action=accept dst4=10.137.0.5 proto=udp dstports=1235-1235",
                "action=accept dst4=10.137.0.5 proto=udp dstports=1338-1338",
                "action=accept dst4=10.137.0.5 proto=tcp dstports=6668-6670",
                "action=accept dst4=10.137.0.5 proto=icmp icmptype=8",
                "action=accept dsthost=allowed.example.org",
                "action=drop dsthost=pair.example.org",
                "action=accept proto=tcp dstports=443-443");
        for (int i = 0; i < rules.size(); i++) {
            entries.put("%04d".formatted(i), rules.get(i));
        }
        compare("the anchor's", ClientRules.read(CLIENT, entries).orElseThrow(), everyProbe());
    }

    @Test
    void generatedRuleSetsGiveTheSameVerdictsAsQubesNftables() throws Exception {
        long seed = Long.getLong("jmirage.differential.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int set = 0; set < 4; set++) {
            ClientRules rules = generated(random);
            List<Probe> probes = new ArrayList<>(everyProbe());
            java.util.Collections.shuffle(probes, random);
            compare("seed " + seed + ", set " + set + " " + rules.rules().stream().map(Rule::text).toList() + " policy "
                    + rules.policy(), rules, probes.subList(0, 150));
        }
    }

    /** Each destination with each protocol: TCP and UDP to each port, ICMP of each type. */
    static List<Probe> everyProbe() {
        List<Probe> probes = new ArrayList<>();
        for (InetAddress destination : DESTINATIONS) {
            for (int port : PORTS) {
                probes.add(Probe.tcp(destination, port));
                probes.add(Probe.udp(destination, port));
            }
            for (int type : ICMP_TYPES) {
                probes.add(Probe.icmp(destination, type));
            }
        }
        return probes;
    }

    /** Two to six rules over the probes' destinations, ports and types, and a policy. */
    static ClientRules generated(Random random) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("policy", random.nextBoolean() ? "accept" : "drop");
        int count = 2 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            StringBuilder rule = new StringBuilder("action=").append(random.nextBoolean() ? "accept" : "drop");
            switch (random.nextInt(4)) {
                case 0 -> rule.append(" dst4=").append(pick(random, DESTINATIONS).getHostAddress());
                case 1 -> rule.append(" dst4=").append(pick(random, DESTINATIONS).getHostAddress().replaceAll("\\.\\d+$", ".0/24"));
                case 2 -> rule.append(" dsthost=").append(pick(random, List.copyOf(new TreeSet<>(RESOLVED.keySet()))));
                default -> { }
            }
            String proto = pick(random, List.of("", "tcp", "udp", "icmp"));
            if (!proto.isEmpty()) {
                rule.append(" proto=").append(proto);
            }
            boolean dns = !proto.equals("icmp") && random.nextInt(5) == 0;
            if (dns) {
                rule.append(" specialtarget=dns");
            }
            if ((proto.equals("tcp") || proto.equals("udp")) && random.nextBoolean()) {
                int low = pick(random, PORTS);
                int high = random.nextBoolean() ? low : low + random.nextInt(5);
                rule.append(" dstports=").append(low).append('-').append(high);
            }
            if (proto.equals("icmp") && random.nextBoolean()) {
                rule.append(" icmptype=").append(pick(random, ICMP_TYPES));
            }
            entries.put("%04d".formatted(i), rule.toString());
        }
        return ClientRules.read(CLIENT, entries).orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** Loads {@code rules} into the Linux router, sends {@code probes}, and compares what arrived with the classifier. */
    static void compare(String what, ClientRules rules, List<Probe> probes) throws Exception {
        Path script = dir.resolve("rules.nft");
        Files.writeString(script, Nftables.script(CLIENT, rules, DNS, RESOLVED));
        Command.of(ROUTER_NS.exec("nft", "flush", "ruleset")).run().ok();
        Ran loaded = Command.of(ROUTER_NS.exec("nft", "-f", script.toString())).run();
        assertEquals(0, loaded.exit(), what + ": nft refused\n" + Files.readString(script) + loaded.err());

        Path probeFile = dir.resolve("probes.txt");
        StringBuilder lines = new StringBuilder();
        int first = nextId;
        nextId += probes.size(); // a probe's source port or identifier is never one an earlier set used
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            String proto = p.protocol() == 6 ? "tcp" : p.protocol() == 17 ? "udp" : "icmp";
            lines.append(first + i).append(' ').append(proto).append(' ').append(p.destination().getHostAddress()).append(' ')
                    .append(proto.equals("icmp") ? p.icmpType() : p.port()).append('\n');
        }
        Files.writeString(probeFile, lines);
        Path recordScript = resource("probe-record.py");
        Path sendScript = resource("probe-send.py");
        double seconds = 3 + probes.size() * 0.004;
        Started recorder = Command.of(UPSTREAM_NS.exec("python3", recordScript.toString(), "eth0", CLIENT.getHostAddress(),
                Double.toString(seconds))).timeout(Duration.ofSeconds(60)).start();
        recorder.awaitOutput("ready", Duration.ofSeconds(10));
        Ran sent = Command.of(CLIENT_NS.exec("python3", sendScript.toString(), probeFile.toString())).timeout(Duration.ofSeconds(60)).run();
        assertTrue(sent.out().contains("sent " + probes.size()), what + ": " + sent.out() + sent.err());
        Ran recorded = recorder.waitFor(Duration.ofSeconds(60));
        Set<Integer> arrived = recorded.out().lines().filter(l -> !l.equals("ready")).map(l -> Integer.parseInt(l.split(" ")[1]) - first)
                .collect(Collectors.toSet());

        List<String> different = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < probes.size(); i++) {
            Classifier.Verdict verdict = Classifier.classify(rules, probes.get(i), DNS, name -> Optional.ofNullable(RESOLVED.get(name)));
            boolean ours = verdict.action() == Action.ACCEPT;
            accepted += ours ? 1 : 0;
            if (ours != arrived.contains(i)) {
                different.add(probes.get(i) + ": ours " + verdict + ", nftables " + (arrived.contains(i) ? "accepted" : "dropped"));
            }
        }
        assertEquals(List.of(), different, what + " rules (" + accepted + " of " + probes.size() + " accepted by ours)\n"
                + Files.readString(script));
        throughTheUnikernel(what, rules, probes, probeFile, first);
    }

    /** The same probes (and their file) from the unikernel's client A, its rules put in its feed. */
    static void throughTheUnikernel(String what, ClientRules rules, List<Probe> probes, Path probeFile, int first) throws Exception {
        Map<String, String> feed = new LinkedHashMap<>();
        String tree = "qubes-firewall/10.33.0.2/";
        feed.put(tree + "policy", rules.policy().name().toLowerCase());
        for (int i = 0; i < 10; i++) { // the generated sets have at most 6 rules, the anchor's 8: the rest removed
            feed.put(tree + "%04d".formatted(i), i < rules.rules().size() ? rules.rules().get(i).text() : "");
        }
        unikernel.set(feed);
        Thread.sleep(600); // the feed is polled every 250 ms; the dsthost names asked at once
        double seconds = 3 + probes.size() * 0.004;
        Started recorder = Command.of(TapFirewall.UP.exec("python3", resource("probe-record.py").toString(), TapFirewall.UPLINK_TAP,
                "10.34.0.1", Double.toString(seconds), "by-destination")).timeout(Duration.ofSeconds(60)).start();
        recorder.awaitOutput("ready", Duration.ofSeconds(10));
        Ran sent = Command.of(TapFirewall.A.exec("python3", resource("probe-send.py").toString(), probeFile.toString()))
                .timeout(Duration.ofSeconds(60)).run();
        assertTrue(sent.out().contains("sent " + probes.size()), what + " through the unikernel: " + sent.out() + sent.err());
        Set<String> arrived = recorder.waitFor(Duration.ofSeconds(60)).out().lines().filter(l -> !l.equals("ready"))
                .collect(Collectors.toSet());

        List<String> different = new ArrayList<>();
        int accepted = 0;
        for (Probe p : probes) {
            Classifier.Verdict verdict = Classifier.classify(rules, p, DNS, name -> Optional.ofNullable(RESOLVED.get(name)));
            // The NAT translates ICMP echo only (RFC 5508's query that mirage-nat and ours know): other queries do not leave.
            boolean expected = verdict.action() == Action.ACCEPT && !(p.protocol() == 1 && p.icmpType() != 8);
            accepted += expected ? 1 : 0;
            String proto = p.protocol() == 6 ? "tcp" : p.protocol() == 17 ? "udp" : "icmp";
            String key = proto + " " + p.destination().getHostAddress() + " " + (proto.equals("icmp") ? p.icmpType() : p.port());
            if (expected != arrived.contains(key)) {
                different.add(p + ": ours " + verdict + ", the unikernel " + (arrived.contains(key) ? "accepted" : "dropped"));
            }
        }
        assertEquals(List.of(), different, what + " rules through the unikernel (" + accepted + " of " + probes.size()
                + " expected to leave)");
        System.out.println(what + " rules through the unikernel: " + accepted + " of " + probes.size() + " probes left, as expected");
    }

    /** A script of the test's resources, copied out so that python3 in a namespace can read it. */
    static Path resource(String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = NftablesDifferentialTest.class.getResourceAsStream(name)) {
                Files.write(file, in.readAllBytes());
            }
        }
        return file;
    }
}
