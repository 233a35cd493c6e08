package jmirage.openvpn.keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * The text messages inside TLS once key method 2 is done (push.c, ssl.c tls_process's command
 * handling, forward.c check_incoming_control_channel): each a NUL-terminated string. The client
 * sends {@code PUSH_REQUEST}; the server answers with {@code PUSH_REPLY,...}, or {@code AUTH_FAILED[,reason]},
 * and may later send {@code RESTART[,text]} or {@code HALT[,text]}.
 */
public sealed interface ControlMessage {

    String PUSH_REQUEST = "PUSH_REQUEST";

    record Push(PushReply reply) implements ControlMessage {}

    record AuthFailed(String reason) implements ControlMessage {}

    /** The server restarts or goes away: the client reconnects ({@code RESTART}) or stops trying ({@code HALT}). */
    record Restart(boolean halt, String text) implements ControlMessage {}

    /** A message this client does not act on ({@code INFO}, {@code AUTH_PENDING}...), by its text. */
    record Other(String text) implements ControlMessage {}

    /** The bytes of one message as OpenVPN sends it: the text and a NUL (ssl.c send_control_channel_string). */
    static Bytes encode(String text) {
        return Bytes.utf8(text).concat(Bytes.of((byte) 0));
    }

    /** One message, its NUL already taken off. A PUSH_REPLY that cannot be read is an error, not an Other. */
    static Result<ControlMessage, PushReply.PushError> parse(String text) {
        if (text.startsWith(PushReply.PREFIX)) {
            return PushReply.parse(text).map(Push::new);
        }
        if (text.startsWith("AUTH_FAILED")) {
            return Result.ok(new AuthFailed(text.length() > "AUTH_FAILED,".length() ? text.substring("AUTH_FAILED,".length()) : ""));
        }
        if (text.startsWith("RESTART") || text.startsWith("HALT")) {
            boolean halt = text.startsWith("HALT");
            int comma = text.indexOf(',');
            return Result.ok(new Restart(halt, comma < 0 ? "" : text.substring(comma + 1)));
        }
        return Result.ok(new Other(text));
    }

    /**
     * Splits the TLS plaintext into NUL-terminated messages: a value holds the bytes of a message
     * not yet complete, up to {@link #MAX_PENDING}, beyond which the stream is refused.
     */
    record Reassembly(Bytes pending) {

        /** Longer than any OpenVPN sends (misc.h TLS_CHANNEL_BUF_SIZE is 2048; a push is split below 1600 bytes). */
        public static final int MAX_PENDING = 8192;
        public static final Reassembly EMPTY = new Reassembly(Bytes.EMPTY);

        public record Fed(Reassembly next, List<String> messages) {
            public Fed {
                messages = List.copyOf(messages);
            }
        }

        public Result<Fed, String> feed(Bytes plaintext) {
            Bytes all = pending.concat(plaintext);
            List<String> messages = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i) == 0) {
                    messages.add(new String(all.slice(start, i).toArray(), StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            Bytes rest = all.slice(start, all.size());
            if (rest.size() > MAX_PENDING) {
                return Result.err("a control message longer than " + MAX_PENDING + " bytes");
            }
            return Result.ok(new Fed(new Reassembly(rest), messages));
        }
    }
}
