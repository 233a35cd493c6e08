package jmirage.caldav.dav;

import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.http.Headers;

/**
 * A request as the core sees it, after the shell authenticated it: the method, the path
 * percent-decoded and normalised (no dot segments, no query, a trailing slash kept as sent), the
 * headers, the body, the user it came from, and the time it arrived.
 */
public record DavRequest(String method, String path, Headers headers, Bytes body, String user, Instant now) {}
