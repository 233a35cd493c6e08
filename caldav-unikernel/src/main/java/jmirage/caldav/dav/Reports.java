package jmirage.caldav.dav;

import jmirage.caldav.store.Store;
import jmirage.http.HttpResponse;

/**
 * REPORT: calendar-query, calendar-multiget, free-busy-query (RFC 4791 7), sync-collection
 * (RFC 6578), and a 403 supported-report for any other.
 */
public final class Reports {

    private Reports() {}

    public static HttpResponse handle(Store store, DavRequest request, Target target, DavConfig config) {
        throw new UnsupportedOperationException("seam: the properties-and-reports helper implements this");
    }
}
