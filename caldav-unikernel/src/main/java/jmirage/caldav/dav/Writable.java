package jmirage.caldav.dav;

import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.core.Result;

/** A calendar whose objects the requesting user may write: its owner's, or shared with them read-write. */
record Writable(Collection collection) {

    static Result<Writable, Refusal> of(Store store, DavRequest request, Target.Calendar calendar) {
        return switch (Reach.of(store, request.user(), calendar)) {
            case Reach.Hidden h -> Result.err(new Refusal.NotFound(calendar.href()));
            // RFC 4918 9.7.1: a PUT into a collection that does not exist is a conflict.
            case Reach.Missing m -> Result.err(new Refusal.Conflict("no calendar at " + calendar.href()));
            case Reach.Found found -> found.access().canWrite()
                    ? Result.ok(new Writable(found.collection()))
                    : Result.err(needPrivilege(calendar.href(), DavNames.dav("write-content"), "read-only share"));
        };
    }

    /** RFC 3744 7.1.1: 403 with DAV:need-privileges naming the resource and the privilege missing. */
    static Refusal needPrivilege(String href, XmlName privilege, String why) {
        return new Refusal.Condition(Element.of(DavNames.dav("need-privileges"),
                Element.of(DavNames.dav("resource"), DavResponses.href(href), Element.of(DavNames.PRIVILEGE, Element.of(privilege)))),
                why + ": " + href + " needs " + privilege.local());
    }
}
