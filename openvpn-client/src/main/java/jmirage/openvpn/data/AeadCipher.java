package jmirage.openvpn.data;

import java.util.Locale;
import java.util.Optional;

/**
 * The data-channel ciphers this client speaks: OpenVPN 2.6's AEAD ones (crypto.c
 * openvpn_encrypt_aead), each with a 16-byte tag and a 12-byte nonce. AES-GCM is NIST SP 800-38D
 * (RFC 5116 AEAD_AES_128_GCM/AEAD_AES_256_GCM), ChaCha20-Poly1305 is RFC 8439.
 */
public enum AeadCipher {
    AES_128_GCM("AES-128-GCM", "AES/GCM/NoPadding", "AES", 16),
    AES_256_GCM("AES-256-GCM", "AES/GCM/NoPadding", "AES", 32),
    CHACHA20_POLY1305("CHACHA20-POLY1305", "ChaCha20-Poly1305", "ChaCha20", 32);

    public static final int TAG_SIZE = 16;
    public static final int NONCE_SIZE = 12;

    private final String openvpnName;
    private final String transformation;
    private final String keyAlgorithm;
    private final int keySize;

    AeadCipher(String openvpnName, String transformation, String keyAlgorithm, int keySize) {
        this.openvpnName = openvpnName;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
        this.keySize = keySize;
    }

    /** As OpenVPN writes it in data-ciphers, IV_CIPHERS and a pushed {@code cipher}. */
    public String openvpnName() {
        return openvpnName;
    }

    String transformation() {
        return transformation;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }

    public int keySize() {
        return keySize;
    }

    /** By OpenVPN's name, in any case (OpenVPN compares cipher names case-insensitively). */
    public static Optional<AeadCipher> named(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (AeadCipher c : values()) {
            if (c.openvpnName.equals(upper)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
