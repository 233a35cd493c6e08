package jmirage.canopy.render;

import java.util.Locale;
import java.util.Map;

/**
 * Media types (RFC 6838 names, from the IANA registry) of the files under {@code static/}, by
 * extension; anything else is {@code application/octet-stream} (RFC 2046 4.5.1), which a browser
 * downloads rather than renders.
 */
final class MediaTypes {

    static final String HTML = "text/html; charset=utf-8";
    static final String ATOM = "application/atom+xml";   // RFC 4287 7
    static final String XML = "application/xml";         // RFC 7303
    static final String TEXT = "text/plain; charset=utf-8";
    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", HTML),
            Map.entry("htm", HTML),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),   // RFC 9239
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("txt", TEXT),
            Map.entry("md", "text/markdown; charset=utf-8"),      // RFC 7763
            Map.entry("csv", "text/csv; charset=utf-8"),          // RFC 4180
            Map.entry("json", "application/json"),                // RFC 8259
            Map.entry("xml", XML),
            Map.entry("atom", ATOM),
            Map.entry("pdf", "application/pdf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),                  // RFC 6713
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("woff", "font/woff"),                       // RFC 8081
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"));

    private MediaTypes() {}

    /** The media type of a file called {@code name}. */
    static String of(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }

    /** Whether gzip makes bodies of this type smaller: text, and the XML and JSON formats. */
    static boolean isCompressible(String mediaType) {
        String type = mediaType.split(";", 2)[0];
        return type.startsWith("text/") || type.endsWith("+xml") || type.equals(XML)
                || type.equals("application/json") || type.equals("application/wasm");
    }
}
