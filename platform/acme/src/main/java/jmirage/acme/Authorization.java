package jmirage.acme;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.acme.json.Json;
import jmirage.core.Result;

/**
 * An authorization (RFC 8555 7.1.4): the identifier it is for, its status, and its challenges.
 *
 * @param identifier the DNS name, without the {@code *.} of a wildcard order (RFC 8555 7.1.4)
 */
record Authorization(String identifier, boolean wildcard, String status, List<Challenge> challenges) {

    public Authorization {
        challenges = List.copyOf(challenges);
    }

    /** One challenge (RFC 8555 8): its type, where to answer, its token, its status and error. */
    public record Challenge(String type, URI url, Optional<String> token, String status, Optional<String> error) {}

    /** The dns-01 challenge, when the server offers one. */
    public Optional<Challenge> dns01() {
        return challenges.stream().filter(c -> c.type().equals("dns-01")).findFirst();
    }

    /** Why it is invalid: the error of a challenge, or the status alone. */
    public String failure() {
        return identifier + " is " + status + challenges.stream().flatMap(c -> c.error().stream())
                .findFirst().map(e -> ": " + e).orElse("");
    }

    public static Result<Authorization, AcmeError> parse(Json json, URI base) {
        if (!(json instanceof Json.Obj o)) {
            return Result.err(new AcmeError.Protocol("the authorization is not a JSON object"));
        }
        Optional<String> status = o.string("status");
        Optional<String> identifier = o.object("identifier").flatMap(i -> i.string("value"));
        Optional<List<Json>> challenges = o.array("challenges");
        if (status.isEmpty() || identifier.isEmpty() || challenges.isEmpty()) {
            return Result.err(new AcmeError.Protocol("the authorization lacks its status, identifier or challenges"));
        }
        List<Challenge> parsed = new ArrayList<>();
        for (Json c : challenges.get()) {
            Result<Challenge, AcmeError> challenge = challenge(c, base);
            if (challenge instanceof Result.Err<Challenge, AcmeError>(AcmeError e)) {
                return Result.err(e);
            }
            parsed.add(challenge.orElseThrow());
        }
        return Result.ok(new Authorization(identifier.get(), o.bool("wildcard").orElse(false), status.get(), parsed));
    }

    /** One challenge (RFC 8555 7.1.5), checked as an object; a parsed challenge is also the answer to POSTing one. */
    public static Result<Challenge, AcmeError> challenge(Json json, URI base) {
        if (!(json instanceof Json.Obj c)) {
            return Result.err(new AcmeError.Protocol("a challenge is not a JSON object"));
        }
        Optional<String> type = c.string("type");
        Optional<String> status = c.string("status");
        if (type.isEmpty() || status.isEmpty()) {
            return Result.err(new AcmeError.Protocol("a challenge lacks its type or status"));
        }
        return Responses.url(c, "url", base, "challenge").map(url -> new Challenge(type.get(), url, c.string("token"),
                status.get(), c.object("error").map(Responses::problemText)));
    }
}
