package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.net.MacAddress;
import jmirage.dns.Name;

/**
 * What the server knows about one address: who has it, in what state, until when. A lease is live
 * (the address is taken) while it is offered, bound or declined and {@code until} is in the future;
 * a free lease is remembered so the client gets the same address back (RFC 2131 4.3.1).
 *
 * <p>{@code fqdn} is the name the server registered in DNS for the client (RFC 4703), or is
 * registering: on a binding while it lasts, and on a released, declined or ended one until its
 * records are removed from DNS, so a restart finds the removals still to do.
 */
public record Lease(Inet4Address address, ClientKey client, MacAddress mac, State state, Instant until, Optional<Name> fqdn) {

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
        Objects.requireNonNull(fqdn);
    }

    /** A lease without a name in DNS. */
    public Lease(Inet4Address address, ClientKey client, MacAddress mac, State state, Instant until) {
        this(address, client, mac, state, until, Optional.empty());
    }

    public boolean live(Instant now) {
        return state != State.FREE && until.isAfter(now);
    }

    /** This address free from {@code now}, remembered for the same client (its name still to be removed from DNS). */
    public Lease freedAt(Instant now) {
        return new Lease(address, client, mac, State.FREE, now, fqdn);
    }

    /** This record once its name is out of DNS. */
    public Lease withoutName() {
        return new Lease(address, client, mac, state, until);
    }

    /** Whether this record must survive a restart (everything but an offer's hold). */
    public boolean durable() {
        return state != State.OFFERED;
    }
}
