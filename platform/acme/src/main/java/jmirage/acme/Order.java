package jmirage.acme;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.acme.json.Json;
import jmirage.core.Result;

/**
 * An order (RFC 8555 7.1.3) as far as this client reads it: its status, its authorizations, where to
 * finalize, the certificate once issued, and the error that made it invalid.
 */
record Order(String status, List<URI> authorizations, URI finalizeUrl, Optional<URI> certificate,
                    Optional<String> error) {

    public Order {
        authorizations = List.copyOf(authorizations);
    }

    public static Result<Order, AcmeError> parse(Json json, URI base) {
        if (!(json instanceof Json.Obj o)) {
            return Result.err(new AcmeError.Protocol("the order is not a JSON object"));
        }
        Optional<String> status = o.string("status");
        Optional<List<Json>> authorizations = o.array("authorizations");
        if (status.isEmpty() || authorizations.isEmpty()) {
            return Result.err(new AcmeError.Protocol("the order lacks its status or authorizations"));
        }
        List<URI> urls = new ArrayList<>();
        for (Json a : authorizations.get()) {
            if (!(a instanceof Json.Str(String s))) {
                return Result.err(new AcmeError.Protocol("an authorization URL of the order is not a string"));
            }
            Result<URI, AcmeError> url = Responses.uri(base, s);
            if (url instanceof Result.Err<URI, AcmeError>(AcmeError e)) {
                return Result.err(e);
            }
            urls.add(url.orElseThrow());
        }
        Optional<URI> certificate = Optional.empty();
        if (o.string("certificate").isPresent()) {
            Result<URI, AcmeError> url = Responses.uri(base, o.string("certificate").get());
            if (url instanceof Result.Err<URI, AcmeError>(AcmeError e)) {
                return Result.err(e);
            }
            certificate = Optional.of(url.orElseThrow());
        }
        Optional<URI> finalCertificate = certificate;
        Optional<String> error = o.object("error").map(Responses::problemText);
        return Responses.url(o, "finalize", base, "order").map(finalize ->
                new Order(status.get(), urls, finalize, finalCertificate, error));
    }
}
