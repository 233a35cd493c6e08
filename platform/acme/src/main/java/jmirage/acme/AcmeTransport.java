package jmirage.acme;

import java.net.URI;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/**
 * How the ACME client reaches the ACME server: one HTTPS request to an absolute URL, the whole
 * response back. The client holds no socket of its own; the shell implements this on the
 * unikernel's Stack, TLS and HTTP client ({@code StackTransport}), tests with a scripted server.
 * A response with any status is a success here; only a request that got no response is an error.
 */
public interface AcmeTransport {

    Promise<Result<HttpResponse, AcmeError.Transport>> send(String method, URI url, Headers headers, Bytes body);
}
