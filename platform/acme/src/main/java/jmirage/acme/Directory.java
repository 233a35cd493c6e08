package jmirage.acme;

import java.net.URI;
import java.util.Optional;
import jmirage.acme.json.Json;
import jmirage.core.Result;

/**
 * An ACME server's directory (RFC 8555 7.1.1): the URLs of the resources this client uses, and the
 * terms of service the account agrees to.
 */
record Directory(URI newNonce, URI newAccount, URI newOrder, Optional<URI> termsOfService) {

    public static Result<Directory, AcmeError> parse(Json json, URI base) {
        if (!(json instanceof Json.Obj o)) {
            return Result.err(new AcmeError.Protocol("the directory is not a JSON object"));
        }
        // RFC 8555 7.1.1: meta is optional, and so is termsOfService in it; a bad one is ignored, not fatal
        Optional<URI> terms = o.object("meta").flatMap(meta -> meta.string("termsOfService"))
                .flatMap(t -> Responses.uri(base, t) instanceof Result.Ok<URI, AcmeError>(URI u) ? Optional.of(u) : Optional.empty());
        return Responses.url(o, "newNonce", base, "directory").flatMap(nonce ->
                Responses.url(o, "newAccount", base, "directory").flatMap(account ->
                        Responses.url(o, "newOrder", base, "directory").map(order ->
                                new Directory(nonce, account, order, terms))));
    }
}
