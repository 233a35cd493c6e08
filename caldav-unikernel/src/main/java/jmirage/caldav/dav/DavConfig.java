package jmirage.caldav.dav;

/**
 * Limits the core enforces and advertises: the largest calendar object resource
 * (CALDAV:max-resource-size), the most members a REPORT answers before it truncates with 507
 * (RFC 5323 style, as RFC 6578 3.6 allows for sync-collection).
 */
public record DavConfig(long maxResourceBytes, int maxReportResults) {

    public static DavConfig defaults() {
        return new DavConfig(1_000_000, 100_000);
    }
}
