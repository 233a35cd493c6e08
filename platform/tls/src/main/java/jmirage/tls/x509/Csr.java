package jmirage.tls.x509;

import jmirage.core.Bytes;

/** A PKCS#10 certificate signing request, DER-encoded. */
public record Csr(Bytes der) {}
