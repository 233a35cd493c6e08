package jmirage.caldav.dav;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.SyncLog;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.core.Result;
import jmirage.core.kv.Change;
import jmirage.http.HttpResponse;

/**
 * MKCALENDAR (RFC 4791 5.3.1) and extended MKCOL (RFC 5689) of a calendar in the user's own home.
 * The properties of the body are kept as dead properties (displayname, calendar-description,
 * calendar-timezone, Apple's calendar-color and calendar-order, and any other), except
 * supported-calendar-component-set, which the collection holds (VEVENT, VTODO and VJOURNAL when not
 * given). The home holds calendars only: a plain MKCOL (no body, or a resourcetype without
 * CALDAV:calendar) is refused with DAV:valid-resourcetype (RFC 5689 3.3).
 */
final class MakeCalendar {

    static final Set<ComponentKind> DEFAULT_COMPONENTS = EnumSet.allOf(ComponentKind.class);

    /**
     * Calendars one user may make: far above what a person keeps (clients list every calendar of a
     * home on each sync), low enough that a script cannot fill the store or make every PROPFIND of
     * the home slow. MOVE renames in place and is not counted.
     */
    static final int MAX_CALENDARS_PER_HOME = 1_000;

    private MakeCalendar() {}

    static Result<DavOutcome, Refusal> mkcalendar(Store store, DavRequest request, Target target) {
        return make(store, request, target, false);
    }

    static Result<DavOutcome, Refusal> mkcol(Store store, DavRequest request, Target target) {
        return make(store, request, target, true);
    }

    private static Result<DavOutcome, Refusal> make(Store store, DavRequest request, Target target, boolean mkcol) {
        Result<Target.Calendar, Refusal> located = location(store, request, target, mkcol);
        if (!(located instanceof Result.Ok<Target.Calendar, Refusal>(Target.Calendar calendar))) {
            return Result.err(((Result.Err<Target.Calendar, Refusal>) located).error());
        }
        List<PropertyUpdate.Instruction> instructions = List.of();
        if (!request.body().isEmpty()) {
            Result<List<PropertyUpdate.Instruction>, Refusal> read =
                    PropertyUpdate.read(request.body(), mkcol ? DavNames.MKCOL : DavNames.MKCALENDAR, false);
            if (read instanceof Result.Err<List<PropertyUpdate.Instruction>, Refusal>(Refusal refusal)) {
                return Result.err(refusal);
            }
            instructions = read.orElseThrow();
        }
        if (mkcol && instructions.stream().noneMatch(i -> i.name().equals(DavNames.RESOURCETYPE))) {
            return Result.err(new Refusal.Condition(Element.of(DavNames.dav("valid-resourcetype")),
                    "a calendar home holds calendars only: MKCOL needs a resourcetype with CALDAV:calendar"));
        }
        Set<ComponentKind> components = DEFAULT_COMPONENTS;
        TreeMap<XmlName, Element> dead = new TreeMap<>();
        Map<XmlName, PropertyUpdate.Failure> failures = PropertyUpdate.failures();
        for (PropertyUpdate.Instruction instruction : instructions) {
            Element property = instruction.property();
            XmlName name = property.name();
            if (name.equals(DavNames.SUPPORTED_CALENDAR_COMPONENT_SET)) {
                Optional<Set<ComponentKind>> parsed = components(property);
                if (parsed.isPresent()) {
                    components = parsed.get();
                } else {
                    failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(DavNames.SUPPORTED_CALENDAR_COMPONENT)));
                }
            } else if (name.equals(DavNames.RESOURCETYPE)) {
                if (!isCalendarType(property)) {
                    failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(DavNames.dav("valid-resourcetype"))));
                }
            } else if (ProtectedNames.PROTECTED.contains(name)) {
                failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(ProtectedNames.CANNOT_MODIFY)));
            } else if (DeadProperties.invalidTimezone(property)) {
                failures.put(name, PropertyUpdate.Failure.forbidden(Element.of(DavNames.VALID_CALENDAR_DATA)));
            } else {
                dead.put(name, property);
            }
        }
        if (failures.isEmpty()) {
            DeadPropertyLimits.overflow(dead).ifPresent(name -> failures.put(name, PropertyUpdate.Failure.insufficientStorage()));
        }
        if (!failures.isEmpty()) {
            // RFC 4791 5.3.1.2 and RFC 5689 3.4: nothing is made; the body says which property failed.
            Element answer = Element.of(mkcol ? DavNames.MKCOL_RESPONSE : DavNames.caldav("mkcalendar-response"),
                    PropertyUpdate.propstats(instructions, failures));
            return Result.err(new Refusal.Rejected(DavResponses.xml(403, answer), "a property of the new calendar was refused"));
        }
        Collection made = new Collection(calendar.owner(), calendar.name(), components, dead, new TreeMap<String, Resource>(),
                SyncLog.of(new TreeMap<>()), request.now(), request.now());
        return Result.ok(new DavOutcome(HttpResponse.empty(201).withHeader("Location", calendar.href()), store.with(made),
                Optional.of(DavCore.batch(request, List.of(new Change.Set(Layout.properties(made.owner(), made.name()),
                        Layout.encodeProperties(made)))))));
    }

    /** Where the calendar would be: a new name in the user's own home. */
    private static Result<Target.Calendar, Refusal> location(Store store, DavRequest request, Target target, boolean mkcol) {
        XmlName locationOk = DavNames.CALENDAR_COLLECTION_LOCATION_OK;
        return switch (target) {
            case Target.Calendar calendar -> {
                if (!calendar.viewer().equals(request.user())) {
                    yield Result.err(new Refusal.NotFound(request.path()));
                }
                if (!calendar.owner().equals(request.user()) || calendar.name().indexOf(Targets.SHARE_SEPARATOR) >= 0
                        || !DavCore.storable(calendar.owner(), calendar.name())) {
                    // '@' marks a share alias (Targets); a name the Kv cannot hold is refused as a place.
                    yield Result.err(new Refusal.Condition(Element.of(locationOk),
                            "a calendar name holds no '@' and at most 255 bytes"));
                }
                if (store.calendar(calendar.owner(), calendar.name()).isPresent()) {
                    yield Result.err(exists(mkcol, request));
                }
                if (store.home(calendar.owner()).map(h -> h.calendars().size()).orElse(0) >= MAX_CALENDARS_PER_HOME) {
                    // RFC 4918 9.3.1 (MKCOL), RFC 4791 5.3.1: 507, no room to record the new collection
                    yield Result.err(new Refusal.InsufficientStorage("a home holds at most " + MAX_CALENDARS_PER_HOME + " calendars"));
                }
                yield Result.ok(calendar);
            }
            case Target.Object object -> object.calendar().viewer().equals(request.user())
                    // RFC 4791 4.2: a calendar collection holds no collection.
                    ? Result.err(new Refusal.Condition(Element.of(locationOk), "calendars are made in the calendar home"))
                    : Result.err(new Refusal.NotFound(request.path()));
            case Target.Home home -> home.user().equals(request.user())
                    ? Result.err(exists(mkcol, request)) : Result.err(new Refusal.NotFound(request.path()));
            default -> Result.err(exists(mkcol, request));
        };
    }

    /**
     * Something is there already: RFC 4918 9.3.1 answers MKCOL 405; RFC 4791 5.3.1.1 gives
     * MKCALENDAR the DAV:resource-must-be-null precondition.
     */
    private static Refusal exists(boolean mkcol, DavRequest request) {
        return mkcol
                ? new Refusal.NotAllowed("MKCOL", List.of("OPTIONS", "GET", "HEAD", "DELETE", "PROPFIND", "PROPPATCH", "REPORT"))
                : new Refusal.Condition(Element.of(DavNames.dav("resource-must-be-null")), request.path() + " exists");
    }

    /** RFC 4791 5.2.3: {@code <C:comp name="VEVENT"/>}...; empty when a name is unknown or none is given. */
    static Optional<Set<ComponentKind>> components(Element set) {
        Set<ComponentKind> kinds = EnumSet.noneOf(ComponentKind.class);
        for (Element comp : set.elements().toList()) {
            if (!comp.name().equals(DavNames.COMP)) {
                return Optional.empty();
            }
            String name = comp.attribute("name").orElse("").toUpperCase(Locale.ROOT);
            Optional<ComponentKind> kind = java.util.Arrays.stream(ComponentKind.values()).filter(k -> k.name().equals(name)).findFirst();
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            kinds.add(kind.get());
        }
        return kinds.isEmpty() ? Optional.empty() : Optional.of(kinds);
    }

    /** A resourcetype of DAV:collection and CALDAV:calendar, and nothing else we would have to honour. */
    private static boolean isCalendarType(Element resourcetype) {
        Set<XmlName> types = new java.util.HashSet<>(resourcetype.elements().map(Element::name).toList());
        return types.equals(Set.of(DavNames.COLLECTION, DavNames.CALENDAR));
    }
}
