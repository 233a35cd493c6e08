package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;
import jmirage.core.net.MacAddress;

/**
 * What the server knows about one address: who has it, in what state, until when. A lease is live
 * (the address is taken) while it is offered, bound or declined and {@code until} is in the future;
 * a free lease is remembered so the client gets the same address back (RFC 2131 4.3.1).
 */
public record Lease(Inet4Address address, ClientKey client, MacAddress mac, State state, Instant until) {

    public enum State {
        /** Held for a client that was sent an OFFER; short, and never written to the store. */
        OFFERED,
        /** Granted by an ACK: written to the store before the ACK leaves. */
        BOUND,
        /** The client said the address is in use by someone else (DHCPDECLINE): quarantined. */
        DECLINED,
        /** Released or expired: free for anyone, remembered for its last client. */
        FREE
    }

    public Lease {
        Objects.requireNonNull(address);
        Objects.requireNonNull(client);
        Objects.requireNonNull(mac);
        Objects.requireNonNull(state);
        Objects.requireNonNull(until);
    }

    public boolean live(Instant now) {
        return state != State.FREE && until.isAfter(now);
    }

    /** This address free from {@code now}, remembered for the same client. */
    public Lease freedAt(Instant now) {
        return new Lease(address, client, mac, State.FREE, now);
    }

    /** Whether this record must survive a restart (everything but an offer's hold). */
    public boolean durable() {
        return state != State.OFFERED;
    }
}
