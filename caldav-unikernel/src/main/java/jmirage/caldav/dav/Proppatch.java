package jmirage.caldav.dav;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.core.Result;
import jmirage.core.kv.Change;
import jmirage.http.HttpResponse;

/**
 * PROPPATCH (RFC 4918 9.2): the dead properties of a calendar of the user's own (a sharee, even
 * read-write, changes objects, not the owner's name or colour: 403 need-privileges), set and
 * removed in document order, all or nothing. Protected live properties fail with
 * DAV:cannot-modify-protected-property, and then every other instruction is 424; dead properties
 * over {@link DeadPropertyLimits} fail with 507 the same way. Homes, principals
 * and objects keep no dead properties here: every property of them is answered 403.
 */
final class Proppatch {

    private Proppatch() {}

    static Result<DavOutcome, Refusal> handle(Store store, DavRequest request, Target target) {
        Optional<Collection> calendar = Optional.empty();
        switch (target) {
            case Target.Calendar c -> {
                switch (Reach.of(store, request.user(), c)) {
                    case Reach.Found found -> {
                        if (!found.access().equals(jmirage.caldav.store.Access.OWNER)) {
                            return Result.err(Writable.needPrivilege(c.href(), DavNames.dav("write-properties"),
                                    "only the owner changes a calendar's properties"));
                        }
                        calendar = Optional.of(found.collection());
                    }
                    case Reach.Hidden h -> {
                        return Result.err(new Refusal.NotFound(request.path()));
                    }
                    case Reach.Missing m -> {
                        return Result.err(new Refusal.NotFound(request.path()));
                    }
                }
            }
            case Target.Object o -> {
                if (!(Reach.of(store, request.user(), o.calendar()) instanceof Reach.Found found)
                        || !found.collection().members().containsKey(o.name())) {
                    return Result.err(new Refusal.NotFound(request.path()));
                }
            }
            case Target.Home h -> {
                if (!h.user().equals(request.user())) {
                    return Result.err(new Refusal.NotFound(request.path()));
                }
            }
            case Target.Principal p -> {
                if (!p.user().equals(request.user())) {
                    return Result.err(new Refusal.NotFound(request.path()));
                }
            }
            default -> { }
        }
        Result<List<PropertyUpdate.Instruction>, Refusal> read = PropertyUpdate.read(request.body(), DavNames.PROPERTYUPDATE, true);
        if (read instanceof Result.Err<List<PropertyUpdate.Instruction>, Refusal>(Refusal refusal)) {
            return Result.err(refusal);
        }
        List<PropertyUpdate.Instruction> instructions = read.orElseThrow();
        if (instructions.isEmpty()) {
            return Result.err(new Refusal.BadRequest("a propertyupdate with no property to set or remove"));
        }
        Map<XmlName, PropertyUpdate.Failure> failures = PropertyUpdate.failures();
        TreeMap<XmlName, Element> dead = new TreeMap<>(calendar.map(Collection::deadProperties).orElse(new TreeMap<>()));
        for (PropertyUpdate.Instruction instruction : instructions) {
            XmlName name = instruction.name();
            if (ProtectedNames.PROTECTED.contains(name)) {
                failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(ProtectedNames.CANNOT_MODIFY)));
            } else if (calendar.isEmpty()) {
                failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(ProtectedNames.CANNOT_MODIFY)));
            } else if (instruction.set() && DeadProperties.invalidTimezone(instruction.property())) {
                failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(DavNames.VALID_CALENDAR_DATA)));
            } else if (instruction.set()) {
                dead.put(name, instruction.property());
            } else {
                // RFC 4918 14.23: removing a property that does not exist is not an error.
                dead.remove(name);
            }
        }
        if (failures.isEmpty()) {
            DeadPropertyLimits.overflow(dead).ifPresent(name -> failures.put(name, PropertyUpdate.Failure.insufficientStorage()));
        }
        HttpResponse answer = DavResponses.multistatus(List.of(Element.of(DavNames.RESPONSE,
                java.util.stream.Stream.concat(java.util.stream.Stream.of(DavResponses.href(target.href())),
                        PropertyUpdate.propstats(instructions, failures).stream()).toList())));
        if (!failures.isEmpty()) {
            return Result.err(new Refusal.Rejected(answer, failures.size() + " properties cannot be changed"));
        }
        Collection changed = calendar.orElseThrow().withDeadProperties(dead, request.now());
        return Result.ok(new DavOutcome(answer, store.with(changed), Optional.of(DavCore.batch(request,
                List.of(new Change.Set(Layout.properties(changed.owner(), changed.name()), Layout.encodeProperties(changed)))))));
    }
}
