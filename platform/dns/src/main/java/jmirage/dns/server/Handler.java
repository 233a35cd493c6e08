package jmirage.dns.server;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;

/**
 * What answers one request, on the scheduler's loop. The answer is the encoded response messages:
 * none for silence (a request that must not be answered, or dropped by rate limiting), one for an
 * ordinary answer, several for a zone transfer over TCP (RFC 5936 2.2), each at most
 * {@link Request#maxResponseSize()} bytes, signed when the request was (RFC 8945 5.3). The
 * authoritative server's handler is its zone management's shell; the resolver's is its serving layer.
 */
@FunctionalInterface
public interface Handler {
    Promise<List<Bytes>> handle(Request request);
}
