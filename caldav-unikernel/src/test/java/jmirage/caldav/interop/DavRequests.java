package jmirage.caldav.interop;

/**
 * The requests a test sends on its own account, besides the client it scripts: to set a scenario up
 * (a calendar made, an event put on the server) and to read its outcome. From the host's network
 * {@link Dav} sends them; from a tap link's namespace, where the Java client cannot reach, curl run
 * there does ({@link Curl}).
 */
sealed interface DavRequests permits Dav, Curl {

    String XML = "application/xml; charset=utf-8";

    /** {@code method} on {@code pathOrUrl} (a path, or a full URL as a Location gives it) with {@code headers} (name, value, ...) and {@code body}. */
    Reply send(String method, String pathOrUrl, String body, String... headers) throws Exception;

    default Reply propfind(String path, String depth, String body) throws Exception {
        return send("PROPFIND", path, body, "Depth", depth, "Content-Type", XML);
    }

    default Reply report(String path, String depth, String body) throws Exception {
        return send("REPORT", path, body, "Depth", depth, "Content-Type", XML);
    }

    default Reply put(String path, String ical, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "text/calendar; charset=utf-8";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("PUT", path, ical, all);
    }

    default Reply get(String path) throws Exception {
        return send("GET", path, "");
    }

    default Reply delete(String path, String... headers) throws Exception {
        return send("DELETE", path, "", headers);
    }

    default Reply mkcalendar(String path, String body) throws Exception {
        return send("MKCALENDAR", path, body, "Content-Type", XML);
    }
}
