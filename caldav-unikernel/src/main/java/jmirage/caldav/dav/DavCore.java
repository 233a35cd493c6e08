package jmirage.caldav.dav;

import java.util.List;
import java.util.Optional;
import jmirage.caldav.store.HomeSync;
import jmirage.caldav.store.Store;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/**
 * The CalDAV server as a function: a store and a request in, a response, the next store and the
 * batch to commit out. Dispatches on the method; PROPFIND and REPORT go to {@link Propfind} and
 * {@link Reports}. Never throws for anything a client sends: a malformed request is a 4xx with the
 * precondition that names what is wrong, and the store is unchanged.
 */
public final class DavCore {

    /** Every method this server implements, for OPTIONS and 405's Allow (RFC 9110 10.2.1). */
    public static final List<String> METHODS = List.of("OPTIONS", "GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH",
            "REPORT", "MKCALENDAR", "MKCOL", "COPY", "MOVE");

    /**
     * RFC 4918 10.1 (class 1; class 3 is the 2007 revision itself, 18.3), RFC 4791 5.1
     * (calendar-access), RFC 5689 3.1 (extended-mkcol). No class 2: no LOCK.
     */
    public static final String DAV_CLASSES = "1, 3, calendar-access, extended-mkcol";

    private final DavConfig config;

    public DavCore(DavConfig config) {
        this.config = config;
    }

    public DavOutcome handle(Store store, DavRequest request) {
        return switch (decide(store, request)) {
            case Result.Ok<DavOutcome, Refusal>(DavOutcome outcome) -> outcome;
            case Result.Err<DavOutcome, Refusal>(Refusal refusal) -> DavOutcome.unchanged(refusal.response(), store);
        };
    }

    /**
     * The answer a request for {@code path} gets from anyone, before authentication, if any: the
     * well-known URI redirects to the context path, where clients authenticate (RFC 6764 5; the root
     * answers current-user-principal, RFC 5397). The shell asks this before it asks for a password.
     */
    public static Optional<HttpResponse> forAnyone(String path) {
        return Targets.resolve(path, "").flatMap(DavCore::forAnyone);
    }

    private static Optional<HttpResponse> forAnyone(Target target) {
        return target instanceof Target.WellKnown
                ? Optional.of(HttpResponse.text(301, "Moved Permanently\n").withHeader("Location", "/"))
                : Optional.empty();
    }

    public DavConfig config() {
        return config;
    }

    /**
     * What {@link #handle} answers, with a refusal kept as the typed value it is: a shell that logs
     * refused requests writes {@link Refusal#describe()}; {@link Refusal#response()} is the answer.
     */
    public Result<DavOutcome, Refusal> decide(Store store, DavRequest request) {
        // The shell authenticated the user against the same htpasswd; a user removed since is refused.
        if (!store.users().names().contains(request.user())) {
            return Result.err(new Refusal.Forbidden("unknown user"));
        }
        if (request.method().equals("OPTIONS")) {
            return Result.ok(DavOutcome.unchanged(options(), store));
        }
        Optional<Target> resolved = Targets.resolve(request.path(), request.user());
        if (resolved.isEmpty()) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        Target target = resolved.get();
        Optional<HttpResponse> anyone = forAnyone(target);
        if (anyone.isPresent()) {
            return Result.ok(DavOutcome.unchanged(anyone.get(), store));
        }
        Result<DavOutcome, Refusal> decided = switch (request.method()) {
            case "GET", "HEAD" -> Get.handle(store, request, target).map(r -> DavOutcome.unchanged(r, store));
            case "PUT" -> Put.handle(store, request, target, config);
            case "DELETE" -> Delete.handle(store, request, target);
            case "MKCALENDAR" -> MakeCalendar.mkcalendar(store, request, target);
            case "MKCOL" -> MakeCalendar.mkcol(store, request, target);
            case "PROPPATCH" -> Proppatch.handle(store, request, target);
            case "COPY", "MOVE" -> CopyMove.handle(store, request, target);
            case "PROPFIND" -> visible(store, request, target)
                    .map(t -> DavOutcome.unchanged(Propfind.handle(store, request, t, config), store));
            case "REPORT" -> visible(store, request, target)
                    .map(t -> DavOutcome.unchanged(Reports.handle(store, request, t, config), store));
            default -> Result.err(new Refusal.NotAllowed(request.method(), METHODS));
        };
        // RFC 6578 on the calendar homes: a change to a calendar is a change of the homes it is in
        return decided.map(o -> o.batch().isEmpty() ? o : new DavOutcome(o.response(), HomeSync.follow(store, o.store()), o.batch()));
    }

    /**
     * PROPFIND and REPORT decide what they show; before them, a home of another user and a
     * calendar (or its objects) the user was not granted are answered 404 here, as for every method.
     */
    private static Result<Target, Refusal> visible(Store store, DavRequest request, Target target) {
        boolean hidden = switch (target) {
            case Target.Home home -> !home.user().equals(request.user());
            case Target.Calendar calendar -> Reach.of(store, request.user(), calendar) instanceof Reach.Hidden;
            case Target.Object object -> Reach.of(store, request.user(), object.calendar()) instanceof Reach.Hidden;
            default -> false;
        };
        return hidden ? Result.err(new Refusal.NotFound(request.path())) : Result.ok(target);
    }

    static HttpResponse options() {
        return HttpResponse.empty(200).withHeaders(Headers.of("DAV", DAV_CLASSES, "Allow", String.join(", ", METHODS)));
    }

    /** The one batch of a request: author the user, message "USER via caldav: METHOD PATH". */
    static Batch batch(DavRequest request, List<Change> changes) {
        return new Batch(request.user(), request.user() + " via caldav: " + request.method() + " " + request.path(), changes);
    }

    /** Whether every name can be a segment of a Kv key (not too long, no NUL: {@link Key#segmentProblem}). */
    static boolean storable(String... names) {
        for (String name : names) {
            if (Key.segmentProblem(name).isPresent()) {
                return false;
            }
        }
        return true;
    }
}
