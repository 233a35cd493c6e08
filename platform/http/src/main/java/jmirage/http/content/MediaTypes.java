package jmirage.http.content;

import java.util.Locale;
import java.util.Map;

/**
 * Content-Type by file name extension (RFC 6838 names, from the IANA registry), and whether a type is
 * worth compressing. Anything else is {@code application/octet-stream} (RFC 2046 4.5.1), which a
 * browser downloads rather than renders.
 */
public final class MediaTypes {

    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),   // RFC 9239
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),      // RFC 7763
            Map.entry("csv", "text/csv; charset=utf-8"),          // RFC 4180
            Map.entry("json", "application/json"),                // RFC 8259
            Map.entry("xml", "application/xml"),                  // RFC 7303
            Map.entry("atom", "application/atom+xml"),            // RFC 4287 7
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
    public static String forName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }

    /**
     * Whether gzip makes bodies of this type smaller: text, the XML and JSON formats, WebAssembly;
     * images and archives are compressed already.
     */
    public static boolean compressible(String mediaType) {
        String type = mediaType.split(";", 2)[0].strip();
        return type.startsWith("text/") || type.endsWith("+xml") || type.equals("application/xml")
                || type.equals("application/json") || type.equals("application/wasm");
    }
}
