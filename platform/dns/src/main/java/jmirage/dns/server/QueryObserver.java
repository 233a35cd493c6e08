package jmirage.dns.server;

import java.util.List;
import jmirage.core.Bytes;

/**
 * What the network shell tells about the requests it serves, for counters and the query log
 * (the authoritative server's QueryAccounting, the resolver's statistics); called on the loop.
 */
public interface QueryObserver {

    /** Observes nothing. */
    QueryObserver NONE = new QueryObserver() {};

    /** {@code request} was answered with {@code responses} (none: silence). */
    default void answered(Request request, List<Bytes> responses) {}

    /** A UDP request was answered by the server's {@link UdpShortcut}, undecoded, with {@code responses} (none: silence). */
    default void answeredFromBytes(List<Bytes> responses) {}

    /** A UDP request over the response rate limit got no answer ({@code slipped}: a truncated empty one). */
    default void rateLimited(boolean slipped) {}
}
