package jmirage.acme;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.http.client.HttpError;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.PeerName;

/**
 * The {@link AcmeTransport} of a unikernel: each request on a new TCP connection of its
 * {@link Stack}, TLS (the server's certificate checked against the given trust anchors and the URL's
 * host, RFC 6125), HTTP/1.1 with {@code Connection: close}. The host of an https URL is an IP
 * literal, used as it is, or a name resolved (A, then AAAA) by a stub query to the resolver given at
 * construction; a name without a resolver is a transport error that says so.
 */
public final class StackTransport implements AcmeTransport {

    private final Stack stack;
    private final Scheduler scheduler;
    private final TlsDevices devices;
    private final List<Certificate> trustAnchors;
    private final Optional<StubClient> resolver;
    private final Duration timeout;

    /**
     * @param trustAnchors the anchors the ACME server's TLS chain must reach ({@link LetsEncryptRoots#anchors()}
     *                     for Let's Encrypt, the test CA for pebble)
     * @param resolver     a recursive resolver for the ACME server's host name; empty when the URLs hold IPs
     * @param timeout      the TLS handshake, and separately the HTTP exchange, each within this
     */
    public StackTransport(Stack stack, Scheduler scheduler, Clock clock, Random random, List<Certificate> trustAnchors,
                          Optional<Endpoint> resolver, Duration timeout) {
        this.stack = Objects.requireNonNull(stack);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.devices = new TlsDevices(scheduler, clock, random);
        this.trustAnchors = List.copyOf(trustAnchors);
        if (this.trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("an ACME transport needs trust anchors");
        }
        this.resolver = resolver.map(r -> new StubClient(stack, scheduler, random, StubClient.Config.of(r)));
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** With a 30 s timeout. */
    public StackTransport(Stack stack, Scheduler scheduler, Clock clock, Random random, List<Certificate> trustAnchors,
                          Optional<Endpoint> resolver) {
        this(stack, scheduler, clock, random, trustAnchors, resolver, Duration.ofSeconds(30));
    }

    @Override
    public Promise<Result<HttpResponse, AcmeError.Transport>> send(String method, URI url, Headers headers, Bytes body) {
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            return failed("not an https URL: " + url);
        }
        String host = url.getHost();
        int port = url.getPort() == -1 ? 443 : url.getPort();
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Result<InetAddress, ?> ip = IpAddresses.parse(literal);
        PeerName peer = ip instanceof Result.Ok<InetAddress, ?>(InetAddress a) ? new PeerName.Ip(a) : new PeerName.Dns(host);
        Promise<Result<InetAddress, AcmeError.Transport>> address = ip instanceof Result.Ok<InetAddress, ?>(InetAddress a)
                ? Promise.resolved(Result.ok(a))
                : resolve(host);
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        // RFC 9110 7.2: Host is the URL's authority, the port only when not the default
        HttpRequest request = HttpRequest.of(method, target,
                headers.with("Host", url.getPort() == -1 ? host : host + ":" + port), body);
        return address.flatMap(resolved -> switch (resolved) {
            case Result.Err<InetAddress, AcmeError.Transport>(AcmeError.Transport e) -> Promise.resolved(Result.err(e));
            case Result.Ok<InetAddress, AcmeError.Transport>(InetAddress a) -> exchange(new Endpoint(a, port), peer, request, url);
        });
    }

    private Promise<Result<HttpResponse, AcmeError.Transport>> exchange(Endpoint server, PeerName peer, HttpRequest request,
                                                                        URI url) {
        return stack.connectTcp(server).flatMap(connected -> switch (connected) {
            case Result.Err<Flow, NetError>(NetError e) -> failed(url + ": connecting to " + server + ": " + e.describe());
            case Result.Ok<Flow, NetError>(Flow tcp) -> {
                TlsClientConfig tls = new TlsClientConfig(trustAnchors, Optional.of(peer), Optional.empty(), List.of(), timeout);
                yield TlsFlow.connect(tcp, tls, devices).flatMap(handshake -> switch (handshake) {
                    case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) -> {
                        tcp.close();
                        yield failed(url + ": TLS with " + server + ": " + f.describe());
                    }
                    case Result.Ok<TlsFlow, TlsFailure>(TlsFlow flow) -> HttpClientConnection.once(flow, scheduler,
                                    ClientConfig.defaults().withResponseTimeout(timeout).withMaxBodyBytes(1024 * 1024), request)
                            .map(response -> response.mapError(
                                    (HttpError e) -> new AcmeError.Transport(url + ": HTTP: " + e.describe())));
                });
            }
        });
    }

    /** A, then AAAA when there is no A, from the resolver. */
    private Promise<Result<InetAddress, AcmeError.Transport>> resolve(String host) {
        if (resolver.isEmpty()) {
            return failed("the ACME server's host " + host + " is a name and no resolver is configured; give an IP or a resolver");
        }
        Result<Name, ?> name = Name.parse(host);
        if (!(name instanceof Result.Ok<Name, ?>(Name n))) {
            return failed("not a host name: " + host);
        }
        return lookup(n, Type.A).flatMap(v4 -> switch (v4) {
            case Result.Ok<Optional<InetAddress>, String>(Optional<InetAddress> a) when a.isPresent() -> Promise.resolved(Result.ok(a.get()));
            case Result.Err<Optional<InetAddress>, String>(String reason) -> failed("resolving " + host + ": " + reason);
            default -> lookup(n, Type.AAAA).map(v6 -> switch (v6) {
                case Result.Ok<Optional<InetAddress>, String>(Optional<InetAddress> a) when a.isPresent() -> Result.ok(a.get());
                case Result.Ok<Optional<InetAddress>, String> none -> Result.err(new AcmeError.Transport("no address for " + host));
                case Result.Err<Optional<InetAddress>, String>(String reason) ->
                        Result.err(new AcmeError.Transport("resolving " + host + ": " + reason));
            });
        });
    }

    /** The first address of {@code type} in the resolver's answer (which follows CNAMEs for us); the resolver's failure as text. */
    private Promise<Result<Optional<InetAddress>, String>> lookup(Name name, int type) {
        return resolver.orElseThrow().query(name, type).map(answer -> answer
                .mapError(StubClient.ClientError::describe)
                .map(message -> message.answers().stream()
                        .map(Record::rdata)
                        .<InetAddress>mapMulti((rdata, out) -> {
                            switch (rdata) {
                                case Rdata.A(var a) -> out.accept(a);
                                case Rdata.Aaaa(var a) -> out.accept(a);
                                default -> { }
                            }
                        })
                        .findFirst()));
    }

    private static <T> Promise<Result<T, AcmeError.Transport>> failed(String reason) {
        return Promise.resolved(Result.err(new AcmeError.Transport(reason)));
    }
}
