package jmirage.caldav.dav;

import jmirage.caldav.store.Store;
import jmirage.http.HttpResponse;

/** PROPFIND (RFC 4918 9.1) and every property's value (live, CalDAV, CalendarServer, dead). */
public final class Propfind {

    private Propfind() {}

    public static HttpResponse handle(Store store, DavRequest request, Target target, DavConfig config) {
        throw new UnsupportedOperationException("seam: the properties-and-reports helper implements this");
    }
}
