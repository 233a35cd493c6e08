package jmirage.caldav.dav;

import java.util.Set;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.XmlName;

/**
 * The live properties a client cannot set or remove (RFC 4918 15, RFC 4791 5.2, RFC 3744 5, RFC 5397,
 * RFC 6578 4, CalendarServer getctag): PROPPATCH, MKCALENDAR and extended MKCOL answer 403
 * DAV:cannot-modify-protected-property for them (RFC 4918 16). supported-calendar-component-set is
 * settable only when the calendar is made (RFC 4791 5.2.3).
 */
final class ProtectedNames {

    static final Set<XmlName> PROTECTED = Set.of(
            DavNames.GETETAG, DavNames.RESOURCETYPE, DavNames.GETCONTENTTYPE, DavNames.GETCONTENTLENGTH,
            DavNames.GETLASTMODIFIED, DavNames.CREATIONDATE, DavNames.dav("lockdiscovery"), DavNames.dav("supportedlock"),
            DavNames.CURRENT_USER_PRIVILEGE_SET, DavNames.dav("acl"), DavNames.dav("acl-restrictions"), DavNames.OWNER,
            DavNames.PRINCIPAL_URL, DavNames.PRINCIPAL_COLLECTION_SET, DavNames.CURRENT_USER_PRINCIPAL,
            DavNames.SYNC_TOKEN, DavNames.SUPPORTED_REPORT_SET, DavNames.dav("quota-available-bytes"),
            DavNames.dav("quota-used-bytes"),
            DavNames.SUPPORTED_CALENDAR_COMPONENT_SET, DavNames.SUPPORTED_CALENDAR_DATA, DavNames.MAX_RESOURCE_SIZE,
            DavNames.caldav("min-date-time"), DavNames.caldav("max-date-time"), DavNames.caldav("max-instances"),
            DavNames.caldav("max-attendees-per-instance"), DavNames.CALENDAR_HOME_SET, DavNames.CALENDAR_USER_ADDRESS_SET,
            DavNames.GETCTAG);

    static final XmlName CANNOT_MODIFY = DavNames.dav("cannot-modify-protected-property");

    private ProtectedNames() {}
}
