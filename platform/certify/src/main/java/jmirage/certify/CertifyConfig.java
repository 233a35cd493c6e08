package jmirage.certify;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.tsig.TsigKey;

/**
 * What the certify client needs, checked ({@link CertifyOptions#config()} makes it from the boot
 * parameters): the authoritative primary that takes the update and answers the queries, the TSIG
 * key the update is signed with, the zone that key may change, and the certificate's names.
 *
 * @param server the primary, port 53 unless given
 * @param key the TSIG key, named {@code NAME._update.ZONE} (decision 11)
 * @param zone the zone of the update (RFC 2136 2.3): what follows {@code _update} in the key's name
 * @param hostname the certificate's subject CN and first subjectAltName; the records live at
 *                 {@code _letsencrypt._tcp.HOSTNAME}
 * @param altNames further subjectAltNames, without the hostname, no repeats
 */
public record CertifyConfig(Endpoint server, TsigKey key, Name zone, Name hostname, List<Name> altNames) {

    public CertifyConfig {
        Objects.requireNonNull(server);
        Objects.requireNonNull(key);
        Objects.requireNonNull(zone);
        Objects.requireNonNull(hostname);
        LinkedHashSet<Name> unique = new LinkedHashSet<>(altNames);
        unique.remove(hostname);
        altNames = List.copyOf(unique);
        if (!hostname.isSubdomainOf(zone)) {
            throw new IllegalArgumentException(hostname + " is not within the key's zone " + zone);
        }
        if (!recordName(hostname).isOk()) {
            throw new IllegalArgumentException("_letsencrypt._tcp." + hostname + " is too long a name");
        }
    }

    /** Where the CSR and the certificates are published (decision 11, as dns-certify). */
    public Name recordName() {
        return recordName(hostname).orElseThrow();
    }

    static Result<Name, NameError> recordName(Name hostname) {
        return hostname.prepend(bytes("_tcp")).flatMap(n -> n.prepend(bytes("_letsencrypt")));
    }

    /** The names the certificate must cover: the hostname, then the alternative names. */
    public List<String> dnsNames() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(hostname), altNames.stream())
                .map(CertifyConfig::text).toList();
    }

    /** A name as a certificate writes it: no trailing dot, lower case. */
    static String text(Name name) {
        String s = name.toLowerCase().toString();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static byte[] bytes(String label) {
        return label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
