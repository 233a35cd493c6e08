package jmirage.launcher;

import java.util.List;
import java.util.Optional;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.caldav.CalDav;
import jmirage.core.Unikernel;
import jmirage.dhcpd.DhcpServer;
import jmirage.examples.clock.SpeakingClock;
import jmirage.examples.echo.Echo;
import jmirage.pinata.Pinata;
import jmirage.resolver.DnsResolver;

/** Every unikernel this build contains, in the order {@code ./unikernel list} shows them. */
final class Catalog {

    static final List<Unikernel<?, ?>> ALL = List.of(
            new SpeakingClock(), new Echo(), new AuthoritativeDns(), new DhcpServer(), new Pinata(), new CalDav(), new DnsResolver());

    private Catalog() {}

    static Optional<Unikernel<?, ?>> find(String name) {
        return ALL.stream().filter(u -> u.name().equals(name)).findFirst();
    }
}
