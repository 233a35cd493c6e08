package jmirage.authoritative.certify;

import java.util.List;
import jmirage.acme.AcmeError;
import jmirage.acme.Dns01;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;

/**
 * What gets a certificate for a CSR: the ACME client in production (platform/acme's
 * {@code AcmeClient.issue}, with its account), a fake in tests. It answers the DNS-01 challenge of
 * each name through {@code dns01} and gives the chain, end-entity certificate first.
 */
@FunctionalInterface
public interface Issuer {

    Promise<Result<List<Certificate>, AcmeError>> issue(Csr csr, List<String> names, Dns01 dns01);
}
