package jmirage.caldav.dav;

/**
 * What a request path names, from its structure alone (whether it exists is looked up in the
 * Store). URL space:
 *
 * <pre>
 * /                                   Root (redirects discovery, answers PROPFIND with current-user-principal)
 * /.well-known/caldav                 WellKnown (RFC 6764: 301 to /)
 * /principals/                        Principals
 * /principals/USER/                   Principal
 * /calendars/                         Calendars
 * /calendars/USER/                    Home (calendar-home-set)
 * /calendars/USER/CAL/                Calendar (owner USER's calendar CAL)
 * /calendars/USER/CAL@OWNER/          Calendar (OWNER's calendar CAL, shared with USER: an alias in USER's home)
 * /calendars/USER/CAL/NAME            Object (a calendar object resource)
 * </pre>
 *
 * {@code href} is the path the client used (an alias stays an alias in every answer).
 */
public sealed interface Target {

    String href();

    record Root(String href) implements Target {}

    record WellKnown(String href) implements Target {}

    record Principals(String href) implements Target {}

    record Principal(String href, String user) implements Target {}

    record Calendars(String href) implements Target {}

    record Home(String href, String user) implements Target {}

    /** {@code viewer}'s view of {@code owner}'s calendar {@code name} (viewer == owner unless an alias). */
    record Calendar(String href, String viewer, String owner, String name) implements Target {}

    record Object(String href, Calendar calendar, String name) implements Target {}
}
