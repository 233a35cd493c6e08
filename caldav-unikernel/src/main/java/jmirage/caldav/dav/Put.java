package jmirage.caldav.dav;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.ical.IcalError;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;
import jmirage.core.kv.Change;
import jmirage.http.HttpResponse;

/**
 * PUT of a calendar object resource (RFC 4791 5.3.2, RFC 4918 9.7). The bytes are stored as the
 * client sent them, so the ETag answered (a digest of those bytes) is the ETag of what a GET
 * returns: clients may keep it (RFC 4791 5.3.4 asks a server that changes the data not to send one).
 */
final class Put {

    private Put() {}

    static Result<DavOutcome, Refusal> handle(Store store, DavRequest request, Target target, DavConfig config) {
        if (!(target instanceof Target.Object object)) {
            // RFC 4918 9.7.2: PUT on a collection is undefined; 405 is what the RFC suggests.
            return Result.err(new Refusal.NotAllowed("PUT", List.of("OPTIONS", "GET", "HEAD", "DELETE", "PROPFIND", "PROPPATCH",
                    "REPORT", "MKCALENDAR", "MKCOL", "MOVE")));
        }
        Result<Writable, Refusal> writable = Writable.of(store, request, object.calendar());
        if (!(writable instanceof Result.Ok<Writable, Refusal>(Writable into))) {
            return Result.err(((Result.Err<Writable, Refusal>) writable).error());
        }
        Collection collection = into.collection();
        if (!DavCore.storable(object.name())) {
            return Result.err(new Refusal.Forbidden("a resource name must be at most 255 bytes and hold no NUL"));
        }
        Resource existing = collection.members().get(object.name());
        Optional<String> etag = Optional.ofNullable(existing).map(Resource::etag);
        if (Conditions.evaluate(request.headers(), false, etag, Optional.ofNullable(existing).map(Resource::lastModified))
                instanceof Conditions.Verdict.Failed(String header)) {
            return Result.err(new Refusal.PreconditionFailed(header));
        }
        Optional<String> contentType = request.headers().get("Content-Type");
        // A missing Content-Type is taken for text/calendar (RFC 9110 8.3 lets the recipient decide; curl -T sends
        // none); the body is validated as iCalendar either way.
        if (contentType.isPresent() && !isCalendar(contentType.get())) {
            return Result.err(new Refusal.UnsupportedMediaType(contentType.get()));
        }
        if (request.body().size() > config.maxResourceBytes()) {
            return Result.err(new Refusal.Condition(Element.of(DavNames.MAX_RESOURCE_SIZE_PRECONDITION),
                    request.body().size() + " bytes is over the limit of " + config.maxResourceBytes()));
        }
        Result<CalendarIndex, IcalError> valid = ICalendars.validate(request.body(), collection.components());
        if (valid instanceof Result.Err<CalendarIndex, IcalError>(IcalError error)) {
            return Result.err(invalid(error));
        }
        CalendarIndex index = valid.orElseThrow();
        Optional<Refusal> conflict = uidConflict(collection, object.calendar(), object.name(), index.uid(), Optional.empty());
        if (conflict.isPresent()) {
            return Result.err(conflict.get());
        }
        Resource stored = Resource.of(object.name(), request.body(), index, request.now());
        Store next = store.with(collection.withMember(stored, request.now()));
        HttpResponse response = HttpResponse.empty(existing == null ? 201 : 204).withHeader("ETag", stored.etag());
        return Result.ok(new DavOutcome(response, next, Optional.of(DavCore.batch(request,
                List.of(new Change.Set(Layout.resource(collection.owner(), collection.name(), object.name()), request.body()))))));
    }

    /** RFC 4791 5.3.2.1 preconditions from the iCalendar validation: 403 with the one it names. */
    static Refusal invalid(IcalError error) {
        return new Refusal.Condition(Element.of(DavNames.caldav(error.precondition())), error.describe());
    }

    /**
     * RFC 4791 5.3.2.1 CALDAV:no-uid-conflict: no other member of the collection has the UID, and a
     * replaced member keeps its UID. The href names the member holding the UID. {@code leaving}: a
     * member that a MOVE within the collection takes away, so it conflicts with nothing.
     */
    static Optional<Refusal> uidConflict(Collection collection, Target.Calendar seenAs, String name, String uid,
                                         Optional<String> leaving) {
        for (Resource member : collection.members().values()) {
            if (leaving.isPresent() && member.name().equals(leaving.get())) {
                continue;
            }
            boolean sameName = member.name().equals(name);
            if (sameName != member.index().uid().equals(uid)) {
                String holder = Targets.objectHref(seenAs, member.name());
                return Optional.of(new Refusal.Condition(
                        Element.of(DavNames.NO_UID_CONFLICT, DavResponses.href(holder)),
                        sameName ? "replacing " + holder + " would change its UID" : "UID " + uid + " is already used by " + holder));
            }
        }
        return Optional.empty();
    }

    /** text/calendar with any parameters (RFC 9110 8.3.1: type and subtype are case-insensitive). */
    static boolean isCalendar(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals("text/calendar");
    }
}
