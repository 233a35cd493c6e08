package jmirage.tls.x509;

/** What the leaf certificate must be good for (its extendedKeyUsage, RFC 5280 4.2.1.12). */
public enum Purpose {
    SERVER_AUTH,
    CLIENT_AUTH
}
