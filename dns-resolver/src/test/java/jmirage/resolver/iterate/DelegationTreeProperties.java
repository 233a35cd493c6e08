package jmirage.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.sim.SeededRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random delegation trees of scripted zones, each zone on its own loopback address with in-bailiwick
 * glue, leaves holding A records or CNAMEs to leaves of other zones: every name resolves to its
 * scripted address, and the queries it costs are bounded by the zones on its path.
 */
class DelegationTreeProperties {

    /** A leaf: its name, the address it finally resolves to, the zones on its path, and whether it is an alias. */
    private record Leaf(Name name, String address, int zonesOnPath, boolean alias) {}

    private static final class Tree {
        final java.util.Random random;
        final ScriptedAuthorities authorities;
        final List<Leaf> leaves = new ArrayList<>();
        int servers;

        Tree(long seed, ManualClock clock, int depth, int fanout) {
            random = new java.util.Random(seed);
            authorities = new ScriptedAuthorities(clock);
            zone(Name.ROOT, address(), depth, fanout, 1);
        }

        String address() {
            servers++;
            return "127.0." + (servers / 250) + "." + (servers % 250 + 1);
        }

        void zone(Name origin, String address, int depthLeft, int fanout, int onPath) {
            String o = origin.toString();
            String under = origin.isRoot() ? "" : o; // a relative label's suffix: "" under the root
            StringBuilder text = new StringBuilder("$TTL 300\n");
            text.append(o).append(Hierarchy.SOA);
            String ns = "ns." + (origin.isRoot() ? "root-servers.test." : o);
            text.append(o).append(" NS ").append(ns).append('\n').append(ns).append(" A ").append(address).append('\n');
            int hosts = 1 + random.nextInt(3);
            for (int i = 0; i < hosts; i++) {
                Name host = Name.of("h" + i + "." + under);
                if (!leaves.isEmpty() && random.nextInt(4) == 0) {
                    Leaf target = leaves.get(random.nextInt(leaves.size()));
                    if (!target.alias()) {
                        text.append(host).append(" CNAME ").append(target.name()).append('\n');
                        leaves.add(new Leaf(host, target.address(), onPath + target.zonesOnPath(), true));
                        continue;
                    }
                }
                String a = "192.0.2." + random.nextInt(256);
                text.append(host).append(" A ").append(a).append('\n');
                leaves.add(new Leaf(host, a, onPath, false));
            }
            List<Runnable> children = new ArrayList<>();
            if (depthLeft > 0) {
                int count = 1 + random.nextInt(fanout);
                for (int i = 0; i < count; i++) {
                    Name child = Name.of("z" + i + "x" + random.nextInt(100) + "." + under);
                    String childAddress = address();
                    text.append(child).append(" NS ns.").append(child).append('\n');
                    text.append("ns.").append(child).append(" A ").append(childAddress).append('\n');
                    children.add(() -> zone(child, childAddress, depthLeft - 1, fanout, onPath + 1));
                }
            }
            authorities.serve(address, o, text.toString());
            children.forEach(Runnable::run);
        }
    }

    private static Hints hints() {
        return new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("ns.root-servers.test."),
                List.of(ScriptedAuthorities.ip("127.0.0.2"))))), Map.of());
    }

    private static List<String> addresses(Result<Answer, RecursionError> r) {
        List<String> out = new ArrayList<>();
        for (Record rec : r.orElseThrow().message().answers()) {
            if (rec.rdata() instanceof Rdata.A(var a)) {
                out.add(a.getHostAddress());
            }
        }
        return out;
    }

    @Property(tries = 60)
    void everyNameResolvesToItsScriptedAnswerWithBoundedWork(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int depth,
            @ForAll @IntRange(min = 1, max = 3) int fanout, @ForAll boolean minimise) {
        ManualClock clock = new ManualClock();
        Tree tree = new Tree(seed, clock, depth, fanout);
        Recursion.Config config = Recursion.Config.defaults().withPrimeRoot(false).withQnameMinimisation(minimise);
        Recursion shared = new Recursion(hints(), tree.authorities, clock, new SeededRandom(seed), config);
        Map<Name, Integer> bounds = new LinkedHashMap<>();
        for (Leaf leaf : tree.leaves) {
            // a fresh resolver: the queries are the zones on the path (more with minimisation: one per label)
            Recursion fresh = new Recursion(hints(), tree.authorities, clock, new SeededRandom(seed), config);
            int before = tree.authorities.log.size();
            Promise<Result<Answer, RecursionError>> p = fresh.resolve(new Question(leaf.name(), Type.A));
            assertEquals(List.of(leaf.address()), addresses(p.value()), leaf.toString());
            int used = tree.authorities.log.size() - before;
            int bound = minimise ? 2 * leaf.name().labelCount() + 2 : leaf.zonesOnPath();
            assertTrue(used <= bound, leaf + " took " + used + " queries, bound " + bound);
            if (!minimise && !leaf.alias()) {
                assertEquals(leaf.zonesOnPath(), used, "one query per zone on the path: " + leaf);
            }
            bounds.put(leaf.name(), bound);
        }
        // the same names through one resolver that learns delegations: right answers, no more work
        int before = tree.authorities.log.size();
        for (Leaf leaf : tree.leaves) {
            assertEquals(List.of(leaf.address()), addresses(shared.resolve(new Question(leaf.name(), Type.A)).value()), leaf.toString());
        }
        int total = bounds.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(tree.authorities.log.size() - before <= total);
    }
}
