package jmirage.dns.server;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;

/**
 * Answers a UDP query from its bytes alone, before {@link DnsServer} decodes it: a handler that has
 * sent an answer to the very same bytes (but for the ID) and knows it would send it again can skip
 * the decoding, the request and the promise (the resolver's answers of the current second). It
 * must give exactly what {@link Handler#handle} would for the same datagram, rate limiting
 * included: {@code DnsServer} applies its own response rate limit only to what the shortcut passes
 * on, so a server with a shortcut is started with that limit off. Called on the loop.
 */
@FunctionalInterface
public interface UdpShortcut {

    /**
     * @param query the datagram's payload, undecoded
     * @return empty: not known here, decode and handle it as usual; else the responses to send
     *     (none: silence)
     */
    Optional<List<Bytes>> answer(Bytes query, InetAddress source, long nowNanos);
}
