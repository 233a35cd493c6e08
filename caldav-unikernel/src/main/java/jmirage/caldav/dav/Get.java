package jmirage.caldav.dav;

import java.time.Instant;
import java.util.Optional;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.http.Headers;
import jmirage.http.HttpDates;
import jmirage.http.HttpResponse;

/**
 * GET and HEAD (RFC 4918 9.4): an object as it was stored, with its strong ETag; a calendar as one
 * VCALENDAR holding every object (as Radicale does: a browser or a script downloads the whole
 * calendar in one file); anything else of ours, a line saying what this server is. The shell drops
 * the body of a HEAD answer.
 */
final class Get {

    static final String CALENDAR_TYPE = "text/calendar; charset=utf-8";

    private Get() {}

    static Result<HttpResponse, Refusal> handle(Store store, DavRequest request, Target target) {
        return switch (target) {
            case Target.Object object -> object(store, request, object);
            case Target.Calendar calendar -> switch (Reach.of(store, request.user(), calendar)) {
                case Reach.Found found -> export(request, found.collection());
                case Reach.Hidden h -> Result.err(new Refusal.NotFound(request.path()));
                case Reach.Missing m -> Result.err(new Refusal.NotFound(request.path()));
            };
            case Target.Home home -> home.user().equals(request.user()) ? Result.ok(about()) : Result.err(new Refusal.NotFound(request.path()));
            case Target.Principal principal ->
                    principal.user().equals(request.user()) ? Result.ok(about()) : Result.err(new Refusal.NotFound(request.path()));
            case Target.Root r -> Result.ok(about());
            case Target.Principals p -> Result.ok(about());
            case Target.Calendars c -> Result.ok(about());
            case Target.WellKnown w -> Result.err(new Refusal.NotFound(request.path()));
        };
    }

    private static Result<HttpResponse, Refusal> object(Store store, DavRequest request, Target.Object object) {
        if (!(Reach.of(store, request.user(), object.calendar()) instanceof Reach.Found found)) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        Resource resource = found.collection().members().get(object.name());
        if (resource == null) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        Headers validators = Headers.of("ETag", resource.etag(), "Last-Modified", HttpDates.format(resource.lastModified()));
        return switch (Conditions.evaluate(request.headers(), true, Optional.of(resource.etag()), Optional.of(resource.lastModified()))) {
            case Conditions.Verdict.Proceed p ->
                    Result.ok(HttpResponse.of(200, validators.with("Content-Type", CALENDAR_TYPE), resource.data()));
            // RFC 9110 15.4.5: a 304 carries the validators a 200 would have.
            case Conditions.Verdict.NotModified n -> Result.ok(HttpResponse.empty(304).withHeaders(validators));
            case Conditions.Verdict.Failed f -> Result.err(new Refusal.PreconditionFailed(f.header()));
        };
    }

    private static Result<HttpResponse, Refusal> export(DavRequest request, Collection collection) {
        Bytes body = CalendarExport.of(collection);
        Instant modified = collection.lastModified();
        String etag = Resource.etagOf(body);
        Headers validators = Headers.of("ETag", etag, "Last-Modified", HttpDates.format(modified));
        return switch (Conditions.evaluate(request.headers(), true, Optional.of(etag), Optional.of(modified))) {
            case Conditions.Verdict.NotModified n -> Result.ok(HttpResponse.empty(304).withHeaders(validators));
            case Conditions.Verdict.Failed f -> Result.err(new Refusal.PreconditionFailed(f.header()));
            case Conditions.Verdict.Proceed p -> Result.ok(HttpResponse.of(200, validators.with("Content-Type", CALENDAR_TYPE)
                    .with("Content-Disposition", "attachment; filename=\"" + safeFileName(collection.name()) + ".ics\""), body));
        };
    }

    private static String safeFileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static HttpResponse about() {
        return HttpResponse.text(200, "jmirage CalDAV server: add this address to a CalDAV client (Thunderbird, DAVx5, iOS, macOS).\n");
    }
}
