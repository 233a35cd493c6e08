package jmirage.dns.server;

import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;

/**
 * One DNS request as the server shell hands it to a {@link Handler}: the decoded message, the exact
 * bytes it came in (TSIG verification needs them, RFC 8945 4.3), who sent it, over which transport,
 * and when it arrived.
 *
 * @param maxResponseSize the largest response the transport allows: for UDP the requester's EDNS
 *     payload size (RFC 6891 6.2.3) or 512 without EDNS (RFC 1035 4.2.1), for the others 65535
 */
public record Request(Message message, Bytes wire, Endpoint source, Endpoint destination, Transport transport,
        int maxResponseSize, Instant received) {

    /** How the request came: TLS is DNS over TLS (RFC 7858), HTTPS is DNS over HTTPS (RFC 8484). */
    public enum Transport { UDP, TCP, TLS, HTTPS }
}
