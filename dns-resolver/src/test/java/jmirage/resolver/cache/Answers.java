package jmirage.resolver.cache;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;

/** Resolutions for cache tests. */
final class Answers {

    static final long SECOND = 1_000_000_000L;

    private Answers() {}

    static Question q(String name, int type) {
        return new Question(Name.of(name), type);
    }

    static Record a(String name, long ttl, int last) {
        try {
            return Record.in(Name.of(name), ttl, new Rdata.A((java.net.Inet4Address) InetAddress.getByAddress(
                    new byte[] {10, 0, (byte) (last >> 8), (byte) last})));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Record soa(String zone, long ttl, long minimum) {
        return Record.in(Name.of(zone), ttl, new Rdata.Soa(Name.of("ns." + zone), Name.of("admin." + zone), 1, 3600, 600,
                86400, minimum));
    }

    static Resolution positive(String name, long ttl, Security security) {
        return new Resolution(q(name, Type.A), Header.NOERROR, List.of(a(name, ttl, 1), a(name, ttl + 100, 2)), List.of(),
                List.of(), security, Optional.empty(), false);
    }

    static Resolution positive(String name, long ttl) {
        return positive(name, ttl, Security.INSECURE);
    }

    static Resolution nxdomain(String name, int type, long soaTtl, long minimum) {
        return new Resolution(q(name, type), Header.NXDOMAIN, List.of(), List.of(soa("example.", soaTtl, minimum)), List.of(),
                Security.INSECURE, Optional.empty(), false);
    }

    static Resolution nodata(String name, int type, long soaTtl, long minimum) {
        return new Resolution(q(name, type), Header.NOERROR, List.of(), List.of(soa("example.", soaTtl, minimum)), List.of(),
                Security.INSECURE, Optional.empty(), false);
    }

    static Resolution failure(String name, int type) {
        return Resolution.failure(q(name, type), 22, "no server answered");
    }

    /** The heap in use after full collections (the least of five): what the live objects hold. */
    static long heapAfterCollections() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static Optional<EdnsOption.ExtendedError> stale() {
        return Optional.of(new EdnsOption.ExtendedError(AnswerCache.EDE_STALE_ANSWER, ""));
    }
}
