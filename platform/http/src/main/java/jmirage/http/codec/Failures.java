package jmirage.http.codec;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** Maps the decoder's failure causes to the answer they deserve. */
final class Failures {

    private Failures() {}

    static Decoded.Malformed malformed(DecoderResult result) {
        Throwable cause = result.cause();
        String reason = cause == null ? "malformed message" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        int status;
        if (cause instanceof TooLongHttpLineException) {
            status = 414; // RFC 9112 3: a request line longer than any we accept
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431; // RFC 6585 5: Request Header Fields Too Large
        } else {
            status = 400;
        }
        return new Decoded.Malformed(status, reason);
    }
}
