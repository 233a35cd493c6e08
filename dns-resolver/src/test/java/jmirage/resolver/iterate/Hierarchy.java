package jmirage.resolver.iterate;

import java.util.List;
import java.util.Map;
import jmirage.dns.Name;

/**
 * A small scripted hierarchy: the root at 127.0.0.1, com at .2, net at .4, example.com at .3 and
 * .7 (with glue), outside.com at .5 (its server's name is in net, no glue). Loopback addresses only.
 */
final class Hierarchy {

    static final String SOA = " 3600 IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300\n";

    static final String ROOT = """
            $TTL 3600
            .""" + SOA + """
            . NS a.root-servers.test.
            a.root-servers.test. A 127.0.0.1
            com. NS ns.com-servers.com.
            ns.com-servers.com. A 127.0.0.2
            net. NS ns.net-servers.net.
            ns.net-servers.net. A 127.0.0.4
            """;

    static final String COM = """
            $TTL 3600
            com.""" + SOA + """
            com. NS ns.com-servers.com.
            ns.com-servers.com. A 127.0.0.2
            example.com. NS ns1.example.com.
            example.com. NS ns2.example.com.
            ns1.example.com. A 127.0.0.3
            ns2.example.com. A 127.0.0.7
            example.com. DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            outside.com. NS ns.outside.net.
            """;

    static final String NET = """
            $TTL 3600
            net.""" + SOA + """
            net. NS ns.net-servers.net.
            ns.net-servers.net. A 127.0.0.4
            ns.outside.net. A 127.0.0.5
            """;

    static final String EXAMPLE = """
            $TTL 300
            example.com.""" + SOA + """
            example.com. NS ns1.example.com.
            example.com. NS ns2.example.com.
            ns1.example.com. A 127.0.0.3
            ns2.example.com. A 127.0.0.7
            www.example.com. A 192.0.2.1
            alias.example.com. CNAME www.outside.com.
            dn.example.com. DNAME outside.com.
            loop.example.com. CNAME loop.outside.com.
            deep.sub.example.com. A 192.0.2.9
            """;

    static final String OUTSIDE = """
            $TTL 300
            outside.com.""" + SOA + """
            outside.com. NS ns.outside.net.
            www.outside.com. A 192.0.2.2
            x.outside.com. A 192.0.2.3
            loop.outside.com. CNAME loop.example.com.
            """;

    private Hierarchy() {}

    static ScriptedAuthorities authorities(ManualClock clock) {
        return new ScriptedAuthorities(clock)
                .serve("127.0.0.1", ".", ROOT)
                .serve("127.0.0.2", "com.", COM)
                .serve("127.0.0.4", "net.", NET)
                .serve("127.0.0.3", "example.com.", EXAMPLE)
                .serve("127.0.0.7", "example.com.", EXAMPLE)
                .serve("127.0.0.5", "outside.com.", OUTSIDE);
    }

    static Hints hints() {
        return new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("a.root-servers.test."),
                List.of(ScriptedAuthorities.ip("127.0.0.1"))))), Map.of());
    }
}
