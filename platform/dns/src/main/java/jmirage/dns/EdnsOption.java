package jmirage.dns;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import jmirage.core.Bytes;

/** An EDNS(0) option (RFC 6891 6.1.2). Options without a case here stay {@link Opaque}. */
public sealed interface EdnsOption {

    int COOKIE = 10, PADDING = 12, EXTENDED_ERROR = 15;

    int code();

    /** RFC 7873 4: an 8-byte client cookie and an empty or 8..32-byte server cookie. */
    record Cookie(Bytes client, Bytes server) implements EdnsOption {
        public Cookie {
            if (client.size() != 8) throw new IllegalArgumentException("client cookie must be 8 bytes");
            if (!server.isEmpty() && (server.size() < 8 || server.size() > 32)) {
                throw new IllegalArgumentException("server cookie must be 8 to 32 bytes");
            }
        }
        public int code() { return COOKIE; }
    }

    /** RFC 7830: {@code length} zero bytes. */
    record Padding(int length) implements EdnsOption {
        public Padding { Rdata.Check.u16(length); }
        public int code() { return PADDING; }
    }

    /** RFC 8914: an info code and optional UTF-8 text. */
    record ExtendedError(int infoCode, String extraText) implements EdnsOption {
        public ExtendedError {
            Rdata.Check.u16(infoCode);
            Objects.requireNonNull(extraText);
            Rdata.Check.u16(extraText.getBytes(StandardCharsets.UTF_8).length + 2);
        }
        public int code() { return EXTENDED_ERROR; }
    }

    /** Any other option, or one of the above whose bytes do not fit its case. */
    record Opaque(int code, Bytes data) implements EdnsOption {
        public Opaque { Rdata.Check.u16(code); Rdata.Check.u16(data.size()); }
    }
}
