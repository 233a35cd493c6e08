package jmirage.resolver;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.KeyError;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.net.AddressError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Name;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;
import jmirage.tls.x509.PeerName;

/**
 * The {@code --forward} boot parameters: a resolver to forward to over plain DNS ({@code IP},
 * {@code IPv4:PORT}, {@code [IPv6]:PORT}; port 53), or over DNS over TLS ({@code
 * tls://IP[:PORT]#NAME}; port 853, RFC 7858) with its certificate checked against the CA
 * certificates of {@code --forward-ca} in the store and required to carry NAME (RFC 8310 strict
 * privacy: no answer rather than an unauthenticated one). The CAs come from the store, never from
 * the host: a unikernel touches the world only through its devices (copy the host's bundle, for
 * instance /etc/ssl/certs/ca-certificates.crt, into the store to trust the usual public CAs).
 */
final class Forwarders {

    private static final String TLS_SCHEME = "tls://";

    /** One forwarder; {@code tlsName} present for DNS over TLS. */
    record Forwarder(Endpoint endpoint, Optional<String> tlsName) {}

    private Forwarders() {}

    static Result<Forwarder, String> parse(String text) {
        if (!text.startsWith(TLS_SCHEME)) {
            return address(text, 53).map(e -> new Forwarder(e, Optional.empty()));
        }
        String rest = text.substring(TLS_SCHEME.length());
        int hash = rest.lastIndexOf('#');
        if (hash < 0 || hash == rest.length() - 1) {
            return Result.err("'" + text + "': DNS over TLS needs the name the server's certificate carries: tls://IP[:PORT]#NAME");
        }
        String name = rest.substring(hash + 1);
        if (!Name.parse(name).isOk() || name.contains("*")) {
            return Result.err("'" + name + "' is not a host name");
        }
        return address(rest.substring(0, hash), 853).map(e -> new Forwarder(e, Optional.of(name)));
    }

    private static Result<Endpoint, String> address(String text, int defaultPort) {
        if (IpAddresses.parse(text) instanceof Result.Ok<InetAddress, AddressError>(InetAddress a)) {
            return Result.ok(new Endpoint(a, defaultPort));
        }
        return Endpoint.parse(text).mapError(AddressError::describe);
    }

    /**
     * The TLS settings of the DNS-over-TLS forwarders, with the CA certificates read from {@code
     * caKey}; none to read when every forwarder speaks plain DNS.
     */
    static Promise<Result<Map<Endpoint, TlsClientConfig>, ConfigProblem>> tls(Kv kv, List<Forwarder> forwarders, String caKey) {
        List<Forwarder> overTls = forwarders.stream().filter(f -> f.tlsName().isPresent()).toList();
        if (overTls.isEmpty()) {
            return Promise.resolved(Result.ok(Map.of()));
        }
        Key key;
        switch (Key.parse(caKey)) {
            case Result.Err<Key, KeyError>(KeyError e) -> {
                return Promise.resolved(Result.err(ConfigProblem.of("--forward-ca", e.describe())));
            }
            case Result.Ok<Key, KeyError>(Key k) -> key = k;
        }
        return kv.get(key).map(read -> switch (read) {
            case Result.Err<Bytes, KvError>(KvError.NotFound n) -> Result.err(ConfigProblem.of(caKey,
                    "DNS over TLS forwarding needs the CA certificates (PEM) its servers' certificates chain to, in the store at "
                            + caKey + " (for instance a copy of /etc/ssl/certs/ca-certificates.crt)"));
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(ConfigProblem.of(caKey, e.describe()));
            case Result.Ok<Bytes, KvError>(Bytes pem) -> switch (Pem.readCertificates(pem.toUtf8())) {
                case Result.Err<List<Certificate>, PemError>(PemError e) -> Result.err(ConfigProblem.of(caKey, "not PEM certificates: "
                        + e.describe()));
                case Result.Ok<List<Certificate>, PemError>(List<Certificate> cas) when cas.isEmpty() ->
                        Result.err(ConfigProblem.of(caKey, "holds no certificate"));
                case Result.Ok<List<Certificate>, PemError>(List<Certificate> cas) -> {
                    Map<Endpoint, TlsClientConfig> out = new LinkedHashMap<>();
                    for (Forwarder f : overTls) {
                        out.put(f.endpoint(), TlsClientConfig.of(cas, new PeerName.Dns(f.tlsName().orElseThrow())));
                    }
                    yield Result.ok(Map.copyOf(out));
                }
            };
        });
    }
}
