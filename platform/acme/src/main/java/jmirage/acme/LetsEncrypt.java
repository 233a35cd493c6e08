package jmirage.acme;

import java.net.URI;

/**
 * Let's Encrypt's ACME directories (https://letsencrypt.org/docs/acme-protocol-updates/ and
 * https://letsencrypt.org/docs/staging-environment/). Staging issues untrusted certificates with far
 * higher rate limits: use it until a setup works. Tests never contact either; they use pebble.
 */
public final class LetsEncrypt {

    /** The production directory: certificates browsers trust, strict rate limits. */
    public static final URI PRODUCTION = URI.create("https://acme-v02.api.letsencrypt.org/directory");

    /** The staging directory: the same API, certificates from a test hierarchy, generous rate limits. */
    public static final URI STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    private LetsEncrypt() {}
}
