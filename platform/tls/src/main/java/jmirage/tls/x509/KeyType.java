package jmirage.tls.x509;

/** The key types we generate and accept for TLS credentials. */
public enum KeyType {
    RSA_2048,
    EC_P256,
    ED25519
}
