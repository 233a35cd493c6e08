package jmirage.caldav.dav;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.ical.CalendarDataRequest;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.store.Access;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Resource;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.Text;
import jmirage.caldav.xml.XmlName;
import jmirage.http.HttpDates;

/**
 * Every property's value: the live properties of WebDAV (RFC 4918 15), access control (RFC 3744,
 * RFC 5397), CalDAV (RFC 4791), sync (RFC 6578) and CalendarServer's getctag, and the dead
 * properties clients set on calendars (kept as they sent them). A property this server does not
 * have is {@link Value.Missing} (404 in its propstat: scheduling properties of RFC 6638 included,
 * as scheduling is out of scope); one that exists but the user may not read is
 * {@link Value.Forbidden} (403).
 */
public final class Properties {

    /** What a property is for one resource. */
    public sealed interface Value {
        record Found(Element element) implements Value {}

        record Forbidden() implements Value {}

        record Missing() implements Value {}
    }

    /**
     * Who asks and how calendar-data is to be shaped: the whole object for PROPFIND, the REPORT's
     * request (RFC 4791 9.6) otherwise.
     */
    public record Context(String user, DavConfig config, CalendarDataRequest calendarData) {}


    /** The reports a calendar answers (RFC 3253 3.1.5, RFC 4791 7, RFC 6578 3). */
    public static final List<XmlName> CALENDAR_REPORTS = List.of(DavNames.CALENDAR_QUERY, DavNames.CALENDAR_MULTIGET,
            DavNames.FREE_BUSY_QUERY, DavNames.SYNC_COLLECTION);

    /** What the calendar home answers (RFC 6578 3 for sync-collection: its members are calendars). */
    public static final List<XmlName> HOME_REPORTS = List.of(DavNames.CALENDAR_MULTIGET, DavNames.SYNC_COLLECTION);

    /** The properties a principal of another user shows (for sharing dialogues): enough to name it. */
    private static final List<XmlName> PUBLIC_PRINCIPAL = List.of(DavNames.RESOURCETYPE, DavNames.DISPLAYNAME,
            DavNames.PRINCIPAL_URL, DavNames.CURRENT_USER_PRINCIPAL, DavNames.PRINCIPAL_COLLECTION_SET);
    private static final List<XmlName> OWN_PRINCIPAL_ONLY = List.of(DavNames.CALENDAR_HOME_SET,
            DavNames.CALENDAR_USER_ADDRESS_SET, DavNames.CURRENT_USER_PRIVILEGE_SET);

    private Properties() {}

    /** The value of property {@code name} of {@code subject} for the context's user. */
    public static Value value(Context context, PropertiesSubject subject, XmlName name) {
        if (subject instanceof PropertiesSubject.Principal p && !p.self() && !PUBLIC_PRINCIPAL.contains(name)) {
            return OWN_PRINCIPAL_ONLY.contains(name) ? new Value.Forbidden() : new Value.Missing();
        }
        Optional<Element> live = live(context, subject, name);
        if (live.isPresent()) {
            return new Value.Found(live.get());
        }
        if (subject instanceof PropertiesSubject.Calendar c) {
            Element dead = c.collection().deadProperties().get(name);
            if (dead != null) {
                return new Value.Found(dead);
            }
        }
        return new Value.Missing();
    }

    /**
     * What DAV:allprop returns (RFC 4918 9.1): the live properties of RFC 4918 and the dead ones;
     * the costly or CalDAV-specific ones only when named (RFC 4791 5.2: "SHOULD NOT be returned by
     * allprop"), calendar-data included.
     */
    public static List<XmlName> allprop(PropertiesSubject subject) {
        List<XmlName> out = new ArrayList<>();
        out.add(DavNames.RESOURCETYPE);
        switch (subject) {
            case PropertiesSubject.Root r -> { }
            case PropertiesSubject.Principals p -> { }
            case PropertiesSubject.Principal p -> out.add(DavNames.DISPLAYNAME);
            case PropertiesSubject.Calendars c -> { }
            case PropertiesSubject.Home h -> out.add(DavNames.DISPLAYNAME);
            case PropertiesSubject.Calendar c -> {
                out.addAll(List.of(DavNames.CREATIONDATE, DavNames.GETETAG, DavNames.GETLASTMODIFIED));
                for (XmlName dead : c.collection().deadProperties().keySet()) {
                    if (!out.contains(dead)) {
                        out.add(dead);
                    }
                }
            }
            case PropertiesSubject.Object o -> out.addAll(List.of(DavNames.GETETAG, DavNames.GETCONTENTTYPE,
                    DavNames.GETCONTENTLENGTH, DavNames.GETLASTMODIFIED));
        }
        return out;
    }

    /** Every property the subject has, for DAV:propname (RFC 4918 9.1). */
    public static List<XmlName> names(PropertiesSubject subject) {
        List<XmlName> out = new ArrayList<>(allprop(subject));
        List<XmlName> more = switch (subject) {
            case PropertiesSubject.Root r -> List.of(DavNames.CURRENT_USER_PRINCIPAL, DavNames.PRINCIPAL_COLLECTION_SET);
            case PropertiesSubject.Principals p -> List.of(DavNames.CURRENT_USER_PRINCIPAL, DavNames.PRINCIPAL_COLLECTION_SET);
            case PropertiesSubject.Principal p -> p.self()
                    ? List.of(DavNames.PRINCIPAL_URL, DavNames.CALENDAR_HOME_SET, DavNames.CALENDAR_USER_ADDRESS_SET,
                            DavNames.CURRENT_USER_PRINCIPAL, DavNames.PRINCIPAL_COLLECTION_SET, DavNames.CURRENT_USER_PRIVILEGE_SET)
                    : List.of(DavNames.PRINCIPAL_URL, DavNames.CURRENT_USER_PRINCIPAL, DavNames.PRINCIPAL_COLLECTION_SET);
            case PropertiesSubject.Calendars c -> List.of(DavNames.CURRENT_USER_PRINCIPAL);
            case PropertiesSubject.Home h -> List.of(DavNames.OWNER, DavNames.CURRENT_USER_PRINCIPAL,
                    DavNames.CURRENT_USER_PRIVILEGE_SET, DavNames.PRINCIPAL_COLLECTION_SET, DavNames.SUPPORTED_REPORT_SET, DavNames.SYNC_TOKEN);
            case PropertiesSubject.Calendar c -> List.of(DavNames.OWNER, DavNames.CURRENT_USER_PRINCIPAL,
                    DavNames.CURRENT_USER_PRIVILEGE_SET, DavNames.SUPPORTED_REPORT_SET, DavNames.SUPPORTED_CALENDAR_COMPONENT_SET,
                    DavNames.SUPPORTED_CALENDAR_DATA, DavNames.MAX_RESOURCE_SIZE, DavNames.GETCTAG, DavNames.SYNC_TOKEN);
            case PropertiesSubject.Object o -> List.of(DavNames.CALENDAR_DATA, DavNames.OWNER, DavNames.CURRENT_USER_PRIVILEGE_SET);
        };
        for (XmlName name : more) {
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static Optional<Element> live(Context context, PropertiesSubject subject, XmlName name) {
        if (name.equals(DavNames.CURRENT_USER_PRINCIPAL)) {
            // RFC 5397 3: on every resource
            return Optional.of(Element.of(name, DavResponses.href(Targets.principalHref(context.user()))));
        }
        return switch (subject) {
            case PropertiesSubject.Root r -> collectionProperty(name);
            case PropertiesSubject.Principals p -> collectionProperty(name);
            case PropertiesSubject.Calendars c -> collectionProperty(name);
            case PropertiesSubject.Principal p -> principal(p, name);
            case PropertiesSubject.Home h -> home(h, name);
            case PropertiesSubject.Calendar c -> calendar(context, c, name);
            case PropertiesSubject.Object o -> object(context, o, name);
        };
    }

    private static Optional<Element> collectionProperty(XmlName name) {
        if (name.equals(DavNames.RESOURCETYPE)) {
            return Optional.of(Element.of(name, Element.of(DavNames.COLLECTION)));
        }
        if (name.equals(DavNames.PRINCIPAL_COLLECTION_SET)) {
            return Optional.of(principalCollectionSet());
        }
        return Optional.empty();
    }

    private static Element principalCollectionSet() {
        return Element.of(DavNames.PRINCIPAL_COLLECTION_SET, DavResponses.href("/" + Targets.PRINCIPALS + "/"));
    }

    private static Optional<Element> principal(PropertiesSubject.Principal p, XmlName name) {
        Element value = switch (name.namespace()) {
            case DavNames.DAV -> switch (name.local()) {
                // RFC 3744 4: a principal is a collection here (a trailing slash), typed DAV:principal
                case "resourcetype" -> Element.of(name, Element.of(DavNames.COLLECTION), Element.of(DavNames.PRINCIPAL));
                case "displayname" -> Element.text(name, p.user());
                case "principal-URL" -> Element.of(name, DavResponses.href(p.href()));
                case "principal-collection-set" -> principalCollectionSet();
                case "current-user-privilege-set" -> Element.of(name,
                        Element.of(DavNames.PRIVILEGE, Element.of(DavNames.dav("read"))),
                        Element.of(DavNames.PRIVILEGE, Element.of(DavNames.dav("read-current-user-privilege-set"))));
                default -> null;
            };
            case DavNames.CALDAV -> switch (name.local()) {
                // RFC 4791 6.2.1
                case "calendar-home-set" -> Element.of(name, DavResponses.href(Targets.homeHref(p.user())));
                // RFC 6638 2.4.1 defines it; without scheduling, the principal's own URL is its one address
                case "calendar-user-address-set" -> Element.of(name, DavResponses.href(Targets.principalHref(p.user())));
                default -> null;
            };
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    private static Optional<Element> home(PropertiesSubject.Home h, XmlName name) {
        if (name.equals(DavNames.RESOURCETYPE) || name.equals(DavNames.PRINCIPAL_COLLECTION_SET)) {
            return collectionProperty(name);
        }
        if (name.equals(DavNames.DISPLAYNAME)) {
            return Optional.of(Element.text(name, h.user()));
        }
        if (name.equals(DavNames.OWNER)) {
            return Optional.of(Element.of(name, DavResponses.href(Targets.principalHref(h.user()))));
        }
        if (name.equals(DavNames.CURRENT_USER_PRIVILEGE_SET)) {
            return Optional.of(Privileges.currentUserPrivilegeSet(Access.OWNER));
        }
        if (name.equals(DavNames.SUPPORTED_REPORT_SET)) {
            return Optional.of(supportedReportSet(HOME_REPORTS));
        }
        if (name.equals(DavNames.SYNC_TOKEN)) {
            // RFC 6578 4
            return Optional.of(Element.text(name, h.sync().token()));
        }
        return Optional.empty();
    }

    private static Optional<Element> calendar(Context context, PropertiesSubject.Calendar c, XmlName name) {
        Collection collection = c.collection();
        Element value = switch (name.namespace()) {
            case DavNames.DAV -> switch (name.local()) {
                case "resourcetype" -> Element.of(name, Element.of(DavNames.COLLECTION), Element.of(DavNames.CALENDAR));
                case "principal-collection-set" -> principalCollectionSet();
                case "owner" -> Element.of(name, DavResponses.href(Targets.principalHref(collection.owner())));
                case "current-user-privilege-set" -> Privileges.currentUserPrivilegeSet(c.access());
                case "supported-report-set" -> supportedReportSet(CALENDAR_REPORTS);
                case "sync-token" -> Element.text(name, collection.sync().token());
                case "getetag" -> Element.text(name, collectionEtag(collection));
                case "getlastmodified" -> Element.text(name, HttpDates.format(collection.lastModified()));
                case "creationdate" -> Element.text(name, DateTimeFormatter.ISO_INSTANT.format(collection.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
                default -> null;
            };
            case DavNames.CALDAV -> switch (name.local()) {
                case "supported-calendar-component-set" -> Element.of(name, supportedComponents(collection));
                // RFC 4791 5.2.4
                case "supported-calendar-data" -> Element.of(name, Element.of(DavNames.CALENDAR_DATA)
                        .withAttribute(new XmlName("", "content-type"), "text/calendar")
                        .withAttribute(new XmlName("", "version"), "2.0"));
                case "max-resource-size" -> Element.text(name, Long.toString(context.config().maxResourceBytes()));
                default -> null;
            };
            case DavNames.CALENDARSERVER -> name.local().equals("getctag") ? Element.text(name, collection.ctag()) : null;
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    private static List<Element> supportedComponents(Collection collection) {
        List<Element> comps = new ArrayList<>();
        for (ComponentKind kind : ComponentKind.values()) {
            if (collection.components().contains(kind)) {
                comps.add(Element.of(DavNames.COMP).withAttribute(new XmlName("", "name"), kind.name()));
            }
        }
        return comps;
    }

    private static Element supportedReportSet(List<XmlName> reports) {
        return Element.of(DavNames.SUPPORTED_REPORT_SET, reports.stream()
                .map(r -> Element.of(DavNames.SUPPORTED_REPORT, Element.of(DavNames.REPORT, Element.of(r)))).toList());
    }

    private static Optional<Element> object(Context context, PropertiesSubject.Object o, XmlName name) {
        Resource resource = o.resource();
        Element value = switch (name.namespace()) {
            case DavNames.DAV -> switch (name.local()) {
                case "getetag" -> Element.text(name, resource.etag());
                // RFC 4918 15.5: what GET answers in Content-Type
                case "getcontenttype" -> Element.text(name, Get.CALENDAR_TYPE);
                case "getcontentlength" -> Element.text(name, Integer.toString(resource.data().size()));
                case "getlastmodified" -> Element.text(name, HttpDates.format(resource.lastModified()));
                case "resourcetype" -> Element.of(name);
                case "owner" -> Element.of(name, DavResponses.href(Targets.principalHref(o.calendar().collection().owner())));
                case "current-user-privilege-set" -> Privileges.currentUserPrivilegeSet(o.calendar().access());
                default -> null;
            };
            // RFC 4791 9.6: the object's text; some clients name it in a PROPFIND as well
            case DavNames.CALDAV -> name.local().equals("calendar-data")
                    ? Element.of(name, new Text(calendarData(context, o))) : null;
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    private static String calendarData(Context context, PropertiesSubject.Object o) {
        if (context.calendarData().equals(CalendarDataRequest.WHOLE)) {
            return o.resource().data().toUtf8();
        }
        return ICalendars.render(o.resource().data(), context.calendarData(), floatingZone(o.calendar().collection())).toUtf8();
    }

    /** The collection's entity tag: the digest part of its sync token, quoted (it changes exactly when the token does). */
    static String collectionEtag(Collection collection) {
        String token = collection.sync().token();
        return "\"" + token.substring(token.lastIndexOf('/') + 1) + "\"";
    }

    /**
     * The zone floating times of a calendar are read in (RFC 4791 9.9): the TZID of its
     * calendar-timezone when it is one the JDK knows, else UTC.
     */
    public static ZoneId floatingZone(Collection collection) {
        Element timezone = collection.deadProperties().get(DavNames.CALENDAR_TIMEZONE);
        if (timezone == null) {
            return ZoneOffset.UTC;
        }
        for (String line : timezone.text().split("\r?\n")) {
            if (line.startsWith("TZID:") || line.startsWith("TZID;")) {
                String id = line.substring(line.indexOf(':') + 1).strip();
                try {
                    return ZoneId.of(id);
                } catch (java.time.DateTimeException e) {
                    return ZoneOffset.UTC;
                }
            }
        }
        return ZoneOffset.UTC;
    }
}
