package jmirage.caldav.dav;

import java.util.List;
import jmirage.caldav.store.Access;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;

/**
 * DAV:current-user-privilege-set (RFC 3744 5.4) from what a user may do with a calendar. Clients
 * (iOS, DAVx5, Thunderbird) read it to decide whether a calendar is read-only, so it follows the
 * shares exactly: the owner holds DAV:all and its aggregates, a read-write grant may change the
 * objects but not the collection's properties, a read grant only reads.
 */
public final class Privileges {

    private static final XmlName READ_FREE_BUSY = DavNames.caldav("read-free-busy");

    private Privileges() {}

    /** The privileges {@code access} gives. */
    public static List<XmlName> of(Access access) {
        return switch (access) {
            case NONE -> List.of();
            // RFC 4791 6.1.1: read-free-busy is aggregated under DAV:read
            case READ -> List.of(DavNames.dav("read"), DavNames.dav("read-current-user-privilege-set"), READ_FREE_BUSY);
            case READ_WRITE -> List.of(DavNames.dav("read"), DavNames.dav("read-current-user-privilege-set"), READ_FREE_BUSY,
                    DavNames.dav("write-content"), DavNames.dav("bind"), DavNames.dav("unbind"));
            case OWNER -> List.of(DavNames.dav("all"), DavNames.dav("read"), DavNames.dav("read-current-user-privilege-set"),
                    READ_FREE_BUSY, DavNames.dav("write"), DavNames.dav("write-properties"), DavNames.dav("write-content"),
                    DavNames.dav("bind"), DavNames.dav("unbind"));
        };
    }

    public static Element currentUserPrivilegeSet(Access access) {
        return Element.of(DavNames.CURRENT_USER_PRIVILEGE_SET,
                of(access).stream().map(p -> Element.of(DavNames.PRIVILEGE, Element.of(p))).toList());
    }
}
