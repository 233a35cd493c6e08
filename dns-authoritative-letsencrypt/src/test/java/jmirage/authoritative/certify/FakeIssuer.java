package jmirage.authoritative.certify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jmirage.acme.AcmeError;
import jmirage.acme.Dns01;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Type;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;

/**
 * An ACME server in a few lines, deterministic: for each name it publishes the DNS-01 TXT, checks
 * that the zones serve it (as a CA's validation would), removes it, and signs the CSR with the test
 * CA for {@code validity}; the first {@code failures} orders fail as an unreachable server does.
 */
final class FakeIssuer implements Issuer {

    final Pki pki;
    final Clock clock;
    final Supplier<Zones> zones;
    final Duration validity;
    int failures;
    final List<Instant> orders = new ArrayList<>();
    /** Each challenge as the zones served it when the CA looked: NAME=VALUE. */
    final List<String> validated = new ArrayList<>();

    FakeIssuer(Pki pki, Clock clock, Supplier<Zones> zones, Duration validity, int failures) {
        this.pki = pki;
        this.clock = clock;
        this.zones = zones;
        this.validity = validity;
        this.failures = failures;
    }

    @Override
    public Promise<Result<List<Certificate>, AcmeError>> issue(Csr csr, List<String> names, Dns01 dns01) {
        orders.add(clock.now());
        if (failures > 0) {
            failures--;
            return Promise.resolved(Result.err(new AcmeError.Transport("connection refused")));
        }
        return validate(names, 0, dns01).map(failed -> {
            if (failed != null) {
                return Result.<List<Certificate>, AcmeError>err(failed);
            }
            Instant now = clock.now();
            return Result.ok(List.of(pki.issue(csr, now, now.plus(validity)), pki.ca));
        });
    }

    private Promise<AcmeError> validate(List<String> names, int i, Dns01 dns01) {
        if (i == names.size()) {
            return Promise.resolved(null);
        }
        String id = names.get(i).startsWith("*.") ? names.get(i).substring(2) : names.get(i);
        String value = "token-" + orders.size() + "-" + i;
        return dns01.publish(id, value).flatMap(published -> {
            if (published instanceof Result.Err<?, String>(String why)) {
                return Promise.resolved(new AcmeError.Challenge(id, why));
            }
            Name at = Name.of("_acme-challenge." + id + ".");
            boolean served = zones.get().find(at).flatMap(z -> z.rrset(at, Type.TXT))
                    .map(s -> s.rdata().contains(new Rdata.Txt(List.of(Bytes.utf8(value))))).orElse(false);
            if (!served) {
                return Promise.resolved(new AcmeError.Invalid("no TXT " + value + " at " + at));
            }
            validated.add(at + "=" + value);
            return dns01.remove(id, value).flatMap(removed -> validate(names, i + 1, dns01));
        });
    }
}
