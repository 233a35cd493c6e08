package jmirage.resolver.validate;

import java.util.List;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.resolver.core.Security;

/**
 * What the chain of trust says about the zone that holds a name (RFC 4035 5): its validated DNSKEYs,
 * proof that it is unsigned, a failure, or that no trust anchor is above it.
 */
sealed interface ZoneKeys {

    /** The zone's DNSKEY RRset, validated from a trust anchor (RFC 4035 5.2). */
    record Secure(Name zone, List<Rdata.Dnskey> keys) implements ZoneKeys {
        public Secure {
            keys = List.copyOf(keys);
        }
    }

    /** A delegation without DS (or with only unsupported algorithms and digests) at {@code zone}. */
    record Insecure(Name zone) implements ZoneKeys {}

    /** The chain broke at {@code zone}. */
    record Bogus(Name zone, Security.Bogus failure) implements ZoneKeys {}

    /** No trust anchor covers the name. */
    record Unanchored() implements ZoneKeys {}
}
