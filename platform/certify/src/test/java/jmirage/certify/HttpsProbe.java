package jmirage.certify;

import java.util.List;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
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

/** A kept-alive HTTPS connection from the test: the certificate its handshake saw, and requests over it. */
record HttpsProbe(TlsFlow flow, HttpClientConnection http) {

    /** Connects, validates the server's chain to {@code root} for {@code name}. */
    static Promise<HttpsProbe> open(Stack stack, Scheduler scheduler, TlsDevices tls, Endpoint server, Certificate root,
            String name) {
        return stack.connectTcp(server).flatMap(c -> switch (c) {
            case Result.Err<Flow, NetError>(NetError e) -> Promise.rejected(new AssertionError("connect: " + e.describe()));
            case Result.Ok<Flow, NetError>(Flow transport) ->
                    TlsFlow.connect(transport, TlsClientConfig.of(List.of(root), new PeerName.Dns(name)), tls).map(t -> switch (t) {
                        case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) -> throw new AssertionError("TLS: " + f.describe());
                        case Result.Ok<TlsFlow, TlsFailure>(TlsFlow flow) ->
                                new HttpsProbe(flow, HttpClientConnection.over(flow, scheduler, ClientConfig.defaults()));
                    });
        });
    }

    Certificate leaf() {
        return flow.session().peerChain().getFirst();
    }

    /** GET / on this connection: its status. */
    Promise<Integer> get() {
        return http.send(HttpRequest.get("/")).map(r -> switch (r) {
            case Result.Ok<HttpResponse, HttpError>(HttpResponse response) -> response.status();
            case Result.Err<HttpResponse, HttpError>(HttpError e) -> throw new AssertionError("request: " + e);
        });
    }
}
