package jmirage.resolver.serve;

import java.net.InetAddress;
import java.util.List;
import jmirage.core.net.IpPrefix;

/**
 * Which clients the resolver answers: those inside one of {@code allowed}. Everyone else is
 * REFUSED with Extended DNS Error 18, Prohibited (RFC 8914 4.19). The default is loopback only, so
 * the resolver is never an open resolver (RFC 5358 4: recursion only for the intended clients)
 * unless the operator names the networks with {@code --allow}.
 */
public record AccessControl(List<IpPrefix> allowed) {

    /** 127.0.0.0/8 and ::1/128. */
    public static final List<IpPrefix> LOOPBACK = List.of(
            new IpPrefix(InetAddress.ofLiteral("127.0.0.0"), 8), IpPrefix.host(InetAddress.ofLiteral("::1")));

    public AccessControl {
        allowed = List.copyOf(allowed);
    }

    /** Loopback, and the operator's prefixes. */
    public static AccessControl loopbackAnd(List<IpPrefix> operators) {
        return new AccessControl(java.util.stream.Stream.concat(LOOPBACK.stream(), operators.stream()).distinct().toList());
    }

    public boolean allows(InetAddress client) {
        for (IpPrefix p : allowed) {
            if (p.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
