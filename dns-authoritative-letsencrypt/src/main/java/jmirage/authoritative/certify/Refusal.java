package jmirage.authoritative.certify;

import jmirage.dns.Name;
import jmirage.tls.x509.CsrError;

/** Why a CSR published at a {@code _letsencrypt._tcp} name gets no certificate (decision 11, "Who may ask"). */
public sealed interface Refusal {

    String describe();

    /** Not a PKCS#10 request, or its self-signature does not verify (RFC 2986 3). */
    record Unreadable(CsrError error) implements Refusal {
        public String describe() {
            return error.describe();
        }
    }

    /** A common name or DNS subjectAltName that is not a host name (letters, digits, hyphens; a leading {@code *.}). */
    record NotAHostName(String text) implements Refusal {
        public String describe() {
            return "'" + text + "' is not a host name";
        }
    }

    /** Neither a common name nor a DNS subjectAltName: nothing to certify. */
    record NoNames() implements Refusal {
        public String describe() {
            return "the CSR names no host (no common name, no DNS subjectAltName)";
        }
    }

    /** A name in no zone this server holds: it cannot answer that name's DNS-01 challenge. */
    record OutsideZones(Name name) implements Refusal {
        public String describe() {
            return name + " is in no zone of this server";
        }
    }

    /**
     * A name below a delegation in our zone (RFC 1034 4.2.1: the zone's authority ends at the cut):
     * the challenge TXT there would not be served with authority.
     */
    record BelowDelegation(Name name, Name cut) implements Refusal {
        public String describe() {
            return name + " is delegated away at " + cut;
        }
    }

    /** An update's key may not change the zone of a name the CSR asks for. */
    record NotAllowed(Name key, Name name, Name zone) implements Refusal {
        public String describe() {
            return "key " + key + " may not update " + zone + ", the zone of " + name;
        }
    }

    /** Decision 11: one CSR per name; with several the server cannot tell which to certify. */
    record SeveralCsrs(int count) implements Refusal {
        public String describe() {
            return count + " CSRs at one name (one per name)";
        }
    }
}
