package jmirage.testkit;

/**
 * The zone file a DNS test starts from, in the master file format of RFC 1035 section 5: {@code $ORIGIN}, a TTL of
 * 300, the SOA (serial given, timers fixed per test), {@code ns} as the name server at 192.0.2.53, then the records
 * the test is about.
 *
 * @param origin the zone's apex, absolute ({@code "prim.test."})
 * @param soaTimers refresh, retry, expire and minimum of the SOA ({@code "60 10 3600 60"}: a secondary refreshes soon)
 */
public record ZoneFile(String origin, String soaTimers) {

    /** The zone's text at {@code serial}, with {@code records} (master file lines, possibly several) after NS. */
    public String text(long serial, String records) {
        return """
                $ORIGIN %s
                $TTL 300
                @   SOA ns hostmaster %d %s
                @   NS  ns
                ns  A   192.0.2.53
                %s
                """.formatted(origin, serial, soaTimers, records);
    }
}
