package jmirage.caldav.dav;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * COPY and MOVE (RFC 4918 9.8, 9.9) of calendar objects between calendars the user may write, with
 * the CalDAV preconditions of the destination (RFC 4791 5.3.2.1: its component set, no UID
 * conflict); and MOVE of a whole calendar of the user's own to a new name in their home (a rename:
 * its objects and properties file move in one batch). Copying a calendar, moving a shared one or
 * moving into another place is refused 403; a Destination on another host is 502 (RFC 4918 9.8.5).
 */
final class CopyMove {

    private CopyMove() {}

    /** Where to, and whether an existing destination may be replaced. */
    private record Destination(Target target, boolean overwrite) {}

    static Result<DavOutcome, Refusal> handle(Store store, DavRequest request, Target target) {
        Result<Destination, Refusal> destination = destination(request);
        if (!(destination instanceof Result.Ok<Destination, Refusal>(Destination to))) {
            return Result.err(((Result.Err<Destination, Refusal>) destination).error());
        }
        boolean move = request.method().equals("MOVE");
        return switch (target) {
            case Target.Object object -> object(store, request, object, to, move);
            case Target.Calendar calendar -> move
                    ? renameCalendar(store, request, calendar, to)
                    : Reach.of(store, request.user(), calendar) instanceof Reach.Found
                            ? Result.err(new Refusal.Forbidden("a calendar is not copied; copy its objects"))
                            : Result.err(new Refusal.NotFound(request.path()));
            case Target.Home home -> home.user().equals(request.user())
                    ? Result.err(new Refusal.Forbidden("a calendar home is not copied or moved"))
                    : Result.err(new Refusal.NotFound(request.path()));
            default -> Result.err(new Refusal.Forbidden("this collection is not copied or moved"));
        };
    }

    /** RFC 4918 10.3 Destination (an absolute URL or path) and 10.6 Overwrite (T when absent). */
    private static Result<Destination, Refusal> destination(DavRequest request) {
        Optional<String> header = request.headers().get("Destination");
        if (header.isEmpty()) {
            return Result.err(new Refusal.BadRequest("COPY and MOVE need a Destination header"));
        }
        boolean overwrite;
        String flag = request.headers().get("Overwrite").map(String::strip).orElse("T");
        if (flag.equals("T")) {
            overwrite = true;
        } else if (flag.equals("F")) {
            overwrite = false;
        } else {
            return Result.err(new Refusal.BadRequest("Overwrite must be T or F"));
        }
        Optional<String> authority;
        try {
            authority = Optional.ofNullable(new URI(header.get().strip()).getRawAuthority());
        } catch (URISyntaxException e) {
            return Result.err(new Refusal.BadRequest("Destination is not a URI"));
        }
        Optional<String> host = request.headers().get("Host").map(String::strip);
        if (authority.isPresent() && host.isPresent()
                && !authority.get().toLowerCase(Locale.ROOT).equals(host.get().toLowerCase(Locale.ROOT))) {
            return Result.err(new Refusal.OtherServer(header.get()));
        }
        Optional<String> path = Targets.pathOfHref(header.get());
        if (path.isEmpty()) {
            return Result.err(new Refusal.BadRequest("Destination is not a path or URL of this server"));
        }
        Optional<Target> target = Targets.resolve(path.get(), request.user());
        if (target.isEmpty()) {
            return Result.err(new Refusal.Forbidden("nothing can be put at the destination " + path.get()));
        }
        return Result.ok(new Destination(target.get(), overwrite));
    }

    private static Result<DavOutcome, Refusal> object(Store store, DavRequest request, Target.Object source, Destination to,
                                                      boolean move) {
        if (!(Reach.of(store, request.user(), source.calendar()) instanceof Reach.Found from)) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        Resource resource = from.collection().members().get(source.name());
        if (resource == null) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        if (move && !from.access().canWrite()) {
            return Result.err(Writable.needPrivilege(source.calendar().href(), DavNames.dav("unbind"), "read-only share"));
        }
        if (Conditions.evaluate(request.headers(), false, Optional.of(resource.etag()), Optional.of(resource.lastModified()))
                instanceof Conditions.Verdict.Failed(String header)) {
            return Result.err(new Refusal.PreconditionFailed(header));
        }
        if (!(to.target() instanceof Target.Object destination)) {
            return Result.err(new Refusal.Forbidden("a calendar object goes into a calendar, under a name of its own"));
        }
        Result<Writable, Refusal> writable = Writable.of(store, request, destination.calendar());
        if (writable instanceof Result.Err<Writable, Refusal>(Refusal refusal)) {
            // Not telling whether another user's calendar exists: the same 403 as a read-only one.
            return Result.err(refusal instanceof Refusal.NotFound
                    ? new Refusal.Forbidden("no calendar of yours at the destination") : refusal);
        }
        Collection into = writable.orElseThrow().collection();
        boolean sameCollection = into.owner().equals(from.collection().owner()) && into.name().equals(from.collection().name());
        if (sameCollection && destination.name().equals(source.name())) {
            return Result.err(new Refusal.Forbidden("source and destination are the same resource"));
        }
        if (!DavCore.storable(destination.name())) {
            return Result.err(new Refusal.Forbidden("a resource name must be at most 255 bytes and hold no NUL"));
        }
        Resource replaced = into.members().get(destination.name());
        if (replaced != null && !to.overwrite()) {
            return Result.err(new Refusal.PreconditionFailed("Overwrite"));
        }
        if (!into.components().contains(resource.index().kind())) {
            return Result.err(new Refusal.Condition(Element.of(DavNames.SUPPORTED_CALENDAR_COMPONENT),
                    "the destination calendar does not take " + resource.index().kind()));
        }
        Optional<Refusal> conflict = Put.uidConflict(into, destination.calendar(), destination.name(), resource.index().uid(),
                move && sameCollection ? Optional.of(source.name()) : Optional.empty());
        if (conflict.isPresent()) {
            return Result.err(conflict.get());
        }
        Resource copy = Resource.of(destination.name(), resource.data(), resource.index(), request.now());
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Set(Layout.resource(into.owner(), into.name(), destination.name()), resource.data()));
        Collection written = into.withMember(copy, request.now());
        Store next;
        if (move) {
            changes.add(new Change.Remove(Layout.resource(from.collection().owner(), from.collection().name(), source.name())));
            next = sameCollection
                    ? store.with(written.withoutMember(source.name(), request.now()))
                    : store.with(written).with(from.collection().withoutMember(source.name(), request.now()));
        } else {
            next = store.with(written);
        }
        return Result.ok(new DavOutcome(HttpResponse.empty(replaced == null ? 201 : 204), next,
                Optional.of(DavCore.batch(request, changes))));
    }

    private static Result<DavOutcome, Refusal> renameCalendar(Store store, DavRequest request, Target.Calendar source,
                                                              Destination to) {
        if (!(Reach.of(store, request.user(), source) instanceof Reach.Found from)) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        if (!source.owner().equals(request.user())) {
            return Result.err(Writable.needPrivilege(source.href(), DavNames.dav("unbind"), "only the owner moves a calendar"));
        }
        Optional<String> failed = Conditions.onExistingCollection(request.headers());
        if (failed.isPresent()) {
            return Result.err(new Refusal.PreconditionFailed(failed.get()));
        }
        if (!(to.target() instanceof Target.Calendar destination) || !destination.viewer().equals(request.user())
                || !destination.owner().equals(request.user()) || destination.name().indexOf(Targets.SHARE_SEPARATOR) >= 0
                || !DavCore.storable(destination.name())) {
            return Result.err(new Refusal.Condition(Element.of(DavNames.CALENDAR_COLLECTION_LOCATION_OK),
                    "a calendar moves to a new name in its owner's home"));
        }
        if (destination.name().equals(source.name())) {
            return Result.err(new Refusal.Forbidden("source and destination are the same calendar"));
        }
        Collection old = from.collection();
        boolean replacing = store.calendar(old.owner(), destination.name()).isPresent();
        if (replacing && !to.overwrite()) {
            return Result.err(new Refusal.PreconditionFailed("Overwrite"));
        }
        Collection renamed = new Collection(old.owner(), destination.name(), old.components(), old.deadProperties(), old.members(),
                old.sync(), old.created(), request.now());
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Remove(Layout.calendar(old.owner(), old.name())));
        changes.add(new Change.Remove(Layout.objectIndex(old.owner(), old.name())));
        if (replacing) {
            // RFC 4918 9.9.3: with Overwrite: T the destination is deleted first.
            changes.add(new Change.Remove(Layout.calendar(old.owner(), destination.name())));
            changes.add(new Change.Remove(Layout.objectIndex(old.owner(), destination.name())));
        }
        changes.add(new Change.Set(Layout.properties(old.owner(), destination.name()), Layout.encodeProperties(renamed)));
        for (Resource member : old.members().values()) {
            changes.add(new Change.Set(Layout.resource(old.owner(), destination.name(), member.name()), member.data()));
        }
        Store next = store.without(old.owner(), old.name()).without(old.owner(), destination.name()).with(renamed);
        return Result.ok(new DavOutcome(HttpResponse.empty(replacing ? 204 : 201), next, Optional.of(DavCore.batch(request, changes))));
    }
}
