package jmirage.caldav.dav;

import java.util.List;
import java.util.Optional;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.core.Result;
import jmirage.core.kv.Change;
import jmirage.http.HttpResponse;

/**
 * DELETE (RFC 4918 9.6): an object of a calendar the user may write; a whole calendar of the
 * user's own (one batch removing its folder: every object and the properties file). Homes,
 * principals and the fixed collections are not deleted: 403.
 */
final class Delete {

    private Delete() {}

    static Result<DavOutcome, Refusal> handle(Store store, DavRequest request, Target target) {
        return switch (target) {
            case Target.Object object -> object(store, request, object);
            case Target.Calendar calendar -> calendar(store, request, calendar);
            case Target.Home home -> home.user().equals(request.user())
                    ? Result.err(new Refusal.Forbidden("a calendar home cannot be deleted"))
                    : Result.err(new Refusal.NotFound(request.path()));
            default -> Result.err(new Refusal.Forbidden("this collection cannot be deleted"));
        };
    }

    private static Result<DavOutcome, Refusal> object(Store store, DavRequest request, Target.Object object) {
        Result<Writable, Refusal> writable = Writable.of(store, request, object.calendar());
        if (!(writable instanceof Result.Ok<Writable, Refusal>(Writable from))) {
            // A missing calendar holds no object: 404 rather than PUT's 409.
            Refusal refusal = ((Result.Err<Writable, Refusal>) writable).error();
            return Result.err(refusal instanceof Refusal.Conflict ? new Refusal.NotFound(request.path()) : refusal);
        }
        Collection collection = from.collection();
        Resource resource = collection.members().get(object.name());
        if (resource == null) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        if (Conditions.evaluate(request.headers(), false, Optional.of(resource.etag()), Optional.of(resource.lastModified()))
                instanceof Conditions.Verdict.Failed(String header)) {
            return Result.err(new Refusal.PreconditionFailed(header));
        }
        Store next = store.with(collection.withoutMember(object.name(), request.now()));
        return Result.ok(new DavOutcome(HttpResponse.empty(204), next, Optional.of(DavCore.batch(request,
                List.of(new Change.Remove(Layout.resource(collection.owner(), collection.name(), object.name())))))));
    }

    private static Result<DavOutcome, Refusal> calendar(Store store, DavRequest request, Target.Calendar calendar) {
        Reach reach = Reach.of(store, request.user(), calendar);
        if (!(reach instanceof Reach.Found found)) {
            return Result.err(new Refusal.NotFound(request.path()));
        }
        if (!calendar.owner().equals(request.user())) {
            // A share is the owner's to give and take back (the shares file), not the sharee's to delete.
            return Result.err(Writable.needPrivilege(calendar.href(), DavNames.dav("unbind"), "only the owner deletes a calendar"));
        }
        Optional<String> failed = Conditions.onExistingCollection(request.headers());
        if (failed.isPresent()) {
            return Result.err(new Refusal.PreconditionFailed(failed.get()));
        }
        Store next = store.without(calendar.owner(), calendar.name());
        return Result.ok(new DavOutcome(HttpResponse.empty(204), next, Optional.of(DavCore.batch(request,
                List.of(new Change.Remove(Layout.calendar(calendar.owner(), calendar.name())),
                        new Change.Remove(Layout.objectIndex(calendar.owner(), calendar.name())))))));
    }
}
