package jmirage.tls.x509;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/** The identity a peer must prove (RFC 6125): a DNS name or an IP address, never a guess between them. */
public sealed interface PeerName {

    record Dns(String name) implements PeerName {
        public Dns {
            name = Objects.requireNonNull(name).toLowerCase(Locale.ROOT);
        }
    }

    record Ip(InetAddress address) implements PeerName {
        public Ip {
            Objects.requireNonNull(address);
        }
    }
}
