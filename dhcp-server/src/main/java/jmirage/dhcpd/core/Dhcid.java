package jmirage.dhcpd.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import jmirage.core.Bytes;
import jmirage.dns.Name;

/**
 * The DHCID RR's data (RFC 4701 3.3) that ties a name in DNS to the client it was registered for
 * (RFC 4703 5.3): a 2-octet identifier type, the digest type 1 (SHA-256) and SHA-256 of the
 * identifier followed by the name in canonical wire form (lower case, RFC 4701 3.5).
 */
public final class Dhcid {

    private Dhcid() {}

    /** RFC 4701 3.3: identifier types. */
    static final int HARDWARE = 0x0000, CLIENT_ID = 0x0001, DUID = 0x0002;
    /** RFC 4701 3.4: digest type 1 is SHA-256. */
    private static final int SHA_256 = 1;
    /** RFC 4361 6.1: a client identifier of type 255 holds an IAID (4 octets), then a DUID. */
    private static final int RFC4361_TYPE = 255, IAID_LENGTH = 4;

    /**
     * The DHCID of {@code lease}'s client for {@code name}. The client key is the client identifier
     * the client sent, or its hardware address as type 1 and MAC ({@link ClientKey#ofMac}). A key
     * that is exactly that (dhclient sends its MAC so) is taken as the hardware address (type 0),
     * as {@code DhcpCore} takes such a client for the machine with that MAC: the DHCID stays the
     * same when a machine starts or stops sending it. An RFC 4361 identifier gives its DUID
     * (type 2, RFC 4701 3.5.3); any other identifier is type 1.
     */
    public static Bytes of(ClientKey client, jmirage.core.net.MacAddress mac, Name name) {
        Bytes key = client.value();
        if (client.equals(ClientKey.ofMac(mac))) {
            return digest(HARDWARE, key, name); // RFC 4701 3.3: htype (1, Ethernet), then chaddr
        }
        if (key.size() > 1 + IAID_LENGTH && key.getUnsigned(0) == RFC4361_TYPE) {
            return digest(DUID, key.slice(1 + IAID_LENGTH, key.size()), name);
        }
        return digest(CLIENT_ID, key, name);
    }

    static Bytes digest(int type, Bytes identifier, Name name) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        sha.update(identifier.toArray());
        sha.update(name.toLowerCase().toWire());
        return Bytes.of((byte) (type >>> 8), (byte) type, (byte) SHA_256).concat(Bytes.adopt(sha.digest()));
    }
}
