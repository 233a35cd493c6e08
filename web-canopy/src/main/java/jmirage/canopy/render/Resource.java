package jmirage.canopy.render;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.http.content.Gzip;

/**
 * One thing the site serves, ready to send: its bytes, their strong validator, the time for
 * {@code Last-Modified}, and a gzip-coded copy when that is smaller. All computed once at build
 * time, so a request costs a map lookup.
 *
 * @param etag         RFC 9110 8.8.3 strong entity tag, quoted, from the bytes
 * @param lastModified RFC 9110 8.8.2, whole seconds as an HTTP-date carries them
 * @param gzip         the same representation with content coding gzip (RFC 9110 8.4.1.3)
 */
public record Resource(String mediaType, Bytes body, String etag, Instant lastModified, Optional<Encoded> gzip) {

    /** A content-coded copy; its own entity tag, since it is another representation (RFC 9110 8.8.3.3). */
    public record Encoded(Bytes body, String etag) {
        public Encoded {
            Objects.requireNonNull(body);
            Objects.requireNonNull(etag);
        }
    }

    public Resource {
        Objects.requireNonNull(mediaType);
        Objects.requireNonNull(body);
        Objects.requireNonNull(etag);
        lastModified = lastModified.truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(gzip);
    }

    /**
     * What a body's resource computes from its bytes alone, for a media type: its entity tag and its
     * gzip copy. The same bytes give the same codes, so a rebuild reuses them for the pages a push
     * did not change (see {@link SiteBuilder.Renderings}).
     */
    public record Codes(String mediaType, String etag, Optional<Encoded> gzip) {

        static Codes of(String mediaType, Bytes body) {
            String tag = EntityTags.opaque(body);
            Optional<Encoded> gzip = Optional.empty();
            if (MediaTypes.isCompressible(mediaType)) {
                Bytes compressed = Gzip.compress(body);
                if (compressed.size() < body.size()) {
                    gzip = Optional.of(new Encoded(compressed, EntityTags.quote(tag + "-gzip")));
                }
            }
            return new Codes(mediaType, EntityTags.quote(tag), gzip);
        }
    }

    /** The resource for {@code body}: its entity tag, and a gzip copy for a compressible type when it is smaller. */
    static Resource of(String mediaType, Bytes body, Instant lastModified) {
        return of(body, lastModified, Codes.of(mediaType, body));
    }

    static Resource of(Bytes body, Instant lastModified, Codes codes) {
        return new Resource(codes.mediaType(), body, codes.etag(), lastModified, codes.gzip());
    }
}
