package jmirage.caldav.xml;

/** The namespaces and element names of WebDAV (RFC 4918), CalDAV (RFC 4791) and their companions. */
public final class DavNames {

    public static final String DAV = "DAV:";
    public static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    /** Apple's CalendarServer extensions: getctag, and the properties iOS/macOS ask for. */
    public static final String CALENDARSERVER = "http://calendarserver.org/ns/";
    /** Apple iCal: calendar-color, calendar-order. */
    public static final String APPLE_ICAL = "http://apple.com/ns/ical/";

    private DavNames() {}

    public static XmlName dav(String local) {
        return new XmlName(DAV, local);
    }

    public static XmlName caldav(String local) {
        return new XmlName(CALDAV, local);
    }

    public static XmlName cs(String local) {
        return new XmlName(CALENDARSERVER, local);
    }

    public static XmlName ical(String local) {
        return new XmlName(APPLE_ICAL, local);
    }

    // RFC 4918
    public static final XmlName MULTISTATUS = dav("multistatus");
    public static final XmlName RESPONSE = dav("response");
    public static final XmlName HREF = dav("href");
    public static final XmlName STATUS = dav("status");
    public static final XmlName PROPSTAT = dav("propstat");
    public static final XmlName PROP = dav("prop");
    public static final XmlName PROPFIND = dav("propfind");
    public static final XmlName PROPNAME = dav("propname");
    public static final XmlName ALLPROP = dav("allprop");
    public static final XmlName INCLUDE = dav("include");
    public static final XmlName PROPERTYUPDATE = dav("propertyupdate");
    public static final XmlName SET = dav("set");
    public static final XmlName REMOVE = dav("remove");
    public static final XmlName ERROR = dav("error");
    public static final XmlName RESPONSEDESCRIPTION = dav("responsedescription");
    public static final XmlName RESOURCETYPE = dav("resourcetype");
    public static final XmlName COLLECTION = dav("collection");
    public static final XmlName DISPLAYNAME = dav("displayname");
    public static final XmlName GETETAG = dav("getetag");
    public static final XmlName GETCONTENTTYPE = dav("getcontenttype");
    public static final XmlName GETCONTENTLENGTH = dav("getcontentlength");
    public static final XmlName GETLASTMODIFIED = dav("getlastmodified");
    public static final XmlName CREATIONDATE = dav("creationdate");
    public static final XmlName MKCOL = dav("mkcol");
    public static final XmlName MKCOL_RESPONSE = dav("mkcol-response");
    public static final XmlName PROPFIND_FINITE_DEPTH = dav("propfind-finite-depth");
    // RFC 3744 (the part clients read)
    public static final XmlName CURRENT_USER_PRIVILEGE_SET = dav("current-user-privilege-set");
    public static final XmlName PRIVILEGE = dav("privilege");
    public static final XmlName PRINCIPAL = dav("principal");
    public static final XmlName PRINCIPAL_URL = dav("principal-URL");
    public static final XmlName PRINCIPAL_COLLECTION_SET = dav("principal-collection-set");
    public static final XmlName OWNER = dav("owner");
    // RFC 5397
    public static final XmlName CURRENT_USER_PRINCIPAL = dav("current-user-principal");
    // RFC 6578
    public static final XmlName SYNC_COLLECTION = dav("sync-collection");
    public static final XmlName SYNC_TOKEN = dav("sync-token");
    public static final XmlName SYNC_LEVEL = dav("sync-level");
    public static final XmlName VALID_SYNC_TOKEN = dav("valid-sync-token");
    public static final XmlName SUPPORTED_REPORT_SET = dav("supported-report-set");
    public static final XmlName SUPPORTED_REPORT = dav("supported-report");
    public static final XmlName REPORT = dav("report");
    public static final XmlName LIMIT = dav("limit");
    public static final XmlName NRESULTS = dav("nresults");
    // RFC 4791
    public static final XmlName CALENDAR = caldav("calendar");
    public static final XmlName MKCALENDAR = caldav("mkcalendar");
    public static final XmlName CALENDAR_HOME_SET = caldav("calendar-home-set");
    public static final XmlName CALENDAR_USER_ADDRESS_SET = caldav("calendar-user-address-set");
    public static final XmlName CALENDAR_DESCRIPTION = caldav("calendar-description");
    public static final XmlName CALENDAR_TIMEZONE = caldav("calendar-timezone");
    public static final XmlName SUPPORTED_CALENDAR_COMPONENT_SET = caldav("supported-calendar-component-set");
    public static final XmlName SUPPORTED_CALENDAR_DATA = caldav("supported-calendar-data");
    public static final XmlName MAX_RESOURCE_SIZE = caldav("max-resource-size");
    public static final XmlName COMP = caldav("comp");
    public static final XmlName CALENDAR_DATA = caldav("calendar-data");
    public static final XmlName CALENDAR_QUERY = caldav("calendar-query");
    public static final XmlName CALENDAR_MULTIGET = caldav("calendar-multiget");
    public static final XmlName FREE_BUSY_QUERY = caldav("free-busy-query");
    public static final XmlName FILTER = caldav("filter");
    public static final XmlName TIME_RANGE = caldav("time-range");
    public static final XmlName VALID_CALENDAR_DATA = caldav("valid-calendar-data");
    public static final XmlName VALID_CALENDAR_OBJECT_RESOURCE = caldav("valid-calendar-object-resource");
    public static final XmlName SUPPORTED_CALENDAR_COMPONENT = caldav("supported-calendar-component");
    public static final XmlName NO_UID_CONFLICT = caldav("no-uid-conflict");
    public static final XmlName MAX_RESOURCE_SIZE_PRECONDITION = caldav("max-resource-size");
    public static final XmlName CALENDAR_COLLECTION_LOCATION_OK = caldav("calendar-collection-location-ok");
    public static final XmlName VALID_FILTER = caldav("valid-filter");
    public static final XmlName SUPPORTED_FILTER = caldav("supported-filter");
    // CalendarServer / Apple
    public static final XmlName GETCTAG = cs("getctag");
    public static final XmlName CALENDAR_COLOR = ical("calendar-color");
    public static final XmlName CALENDAR_ORDER = ical("calendar-order");
}
