package jmirage.dns.server;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Rcode;

/**
 * A request's bytes as any DNS server reads them: a message to answer, or a typed reason not to,
 * which knows whether and how to answer it (RFC 1035 4.1.1: FORMERR for a request that does not
 * decode; silence for what is no request at all, so that a server never answers a response).
 */
public final class RequestDecoder {

    private RequestDecoder() {}

    /** Why bytes are not a request to answer. */
    public sealed interface Undecodable {
        /** Shorter than a header: nothing to answer with. */
        record TooShort(int size) implements Undecodable {}

        /** QR is set: a response, never answered (answering could start a loop between two servers). */
        record Response() implements Undecodable {}

        /** A request header with bytes after it that do not decode: answered with {@code formatError}. */
        record Malformed(DecodeError error, Bytes formatError) implements Undecodable {}

        /** The answer to send, if any. */
        default Optional<Bytes> answer() {
            return switch (this) {
                case TooShort t -> Optional.empty();
                case Response r -> Optional.empty();
                case Malformed m -> Optional.of(m.formatError());
            };
        }

        default String describe() {
            return switch (this) {
                case TooShort t -> t.size() + " bytes, shorter than a header";
                case Response r -> "a response arrived where requests belong";
                case Malformed m -> "malformed request: " + m.error();
            };
        }
    }

    /** The request in {@code wire}, or why it is none. */
    public static Result<Message, Undecodable> decode(Bytes wire) {
        if (wire.size() < 12) {
            return Result.err(new Undecodable.TooShort(wire.size()));
        }
        if ((wire.getUnsigned(2) & 0x80) != 0) {
            return Result.err(new Undecodable.Response());
        }
        return switch (MessageCodec.decode(wire)) {
            case Result.Ok<Message, DecodeError>(Message m) -> Result.ok(m);
            case Result.Err<Message, DecodeError>(DecodeError e) -> Result.err(new Undecodable.Malformed(e, formatError(wire)));
        };
    }

    /** FORMERR built from the header alone (RFC 1035 4.1.1): the ID, opcode and RD copied, nothing else. */
    private static Bytes formatError(Bytes wire) {
        int id = wire.getUnsigned(0) << 8 | wire.getUnsigned(1);
        int opcode = (wire.getUnsigned(2) >>> 3) & 0xf;
        boolean rd = (wire.getUnsigned(2) & 0x01) != 0;
        Header h = new Header(id, true, opcode, false, false, rd, false, false, false, false, Rcode.FORMERR.value());
        return MessageCodec.encode(new Message(h, List.of(), List.of(), List.of(), List.of(), Optional.empty()));
    }
}
