package jmirage.canopy.render;

/**
 * The media types of the site's own pages, and those of the files under {@code static/}, by extension
 * (platform/http's table, which the HTTP shell serves files with too).
 */
final class MediaTypes {

    static final String HTML = "text/html; charset=utf-8";
    static final String ATOM = "application/atom+xml";   // RFC 4287 7
    static final String XML = "application/xml";         // RFC 7303
    static final String TEXT = "text/plain; charset=utf-8";

    private MediaTypes() {}

    /** The media type of a file called {@code name}: platform/http's table. */
    static String of(String name) {
        return jmirage.http.content.MediaTypes.forName(name);
    }

    /** Whether gzip makes bodies of this type smaller (platform/http's rule). */
    static boolean isCompressible(String mediaType) {
        return jmirage.http.content.MediaTypes.compressible(mediaType);
    }
}
