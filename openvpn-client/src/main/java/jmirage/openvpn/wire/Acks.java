package jmirage.openvpn.wire;

import java.util.List;
import java.util.Optional;

/**
 * The ACK array of a control packet (reliable.c reliable_ack_write / reliable_ack_parse): a count
 * byte, that many 4-byte message ids, and, when there is at least one, the session id of the peer
 * whose messages they acknowledge.
 *
 * @param ids           acknowledged message ids, each an unsigned 32-bit value
 * @param remoteSession the peer's session id; present exactly when {@code ids} is not empty
 */
public record Acks(List<Long> ids, Optional<SessionId> remoteSession) {

    /** reliable.h RELIABLE_ACK_SIZE: at most 8 ids in one packet. */
    public static final int MAX = 8;
    public static final Acks NONE = new Acks(List.of(), Optional.empty());

    public Acks {
        ids = List.copyOf(ids);
        if (ids.size() > MAX) {
            throw new IllegalArgumentException(ids.size() + " acks, at most " + MAX);
        }
        if (ids.isEmpty() != remoteSession.isEmpty()) {
            throw new IllegalArgumentException("the remote session id goes with the acks, and only with them");
        }
        for (long id : ids) {
            PacketIds.check(id);
        }
    }

    public static Acks of(List<Long> ids, SessionId remoteSession) {
        return ids.isEmpty() ? NONE : new Acks(ids, Optional.of(remoteSession));
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }

    int encodedSize() {
        return 1 + ids.size() * 4 + (ids.isEmpty() ? 0 : SessionId.SIZE);
    }
}
