package jmirage.authoritative.certify;

import java.time.Duration;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.dns.DecodeError;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.tsig.TsigError;

/** Why a dynamic update (RFC 2136) sent to a primary by {@link UpdateZoneWriter} did not take effect. */
public sealed interface UpdateError {

    // ------------------------------------------------------------------ before sending

    /** A record of the change lies outside the zone written to (the primary would answer NOTZONE, RFC 2136 3.4.1.3). */
    record OutsideZone(Name record, Name zone) implements UpdateError {}

    /** The signed update does not fit a TCP message (RFC 1035 4.2.2: a 16-bit length). */
    record TooLarge(int size) implements UpdateError {}

    // ------------------------------------------------------------------ the connection (retried)

    record Connect(Endpoint primary, NetError error) implements UpdateError {}

    record Send(Endpoint primary, FlowError error) implements UpdateError {}

    record Read(Endpoint primary, FlowError error) implements UpdateError {}

    /** The primary closed the connection before its whole answer. */
    record ClosedEarly(Endpoint primary) implements UpdateError {}

    record TimedOut(Endpoint primary, Duration after) implements UpdateError {}

    // ------------------------------------------------------------------ the answer

    /** The answer is not a DNS message. */
    record Malformed(DecodeError error) implements UpdateError {}

    /** A message that is not the response to our update (another ID, QR clear, another opcode). */
    record NotTheAnswer(int id, int opcode) implements UpdateError {}

    /** RFC 8945 5.3: the answer's TSIG does not verify with our key and request MAC, so it is not believed. */
    record BadTsig(TsigError error) implements UpdateError {}

    /**
     * RFC 8945 5.2: the primary did not accept our signature: {@code tsigError} is BADKEY (it does not
     * know the key), BADSIG (another secret) or BADTIME (our clocks differ by more than the fudge).
     */
    record KeyRejected(Rcode rcode, Rcode tsigError) implements UpdateError {}

    /**
     * The primary verified the update and answered this rcode (RFC 2136 2.2): REFUSED or NOTAUTH
     * for a key without the right to update the zone, NOTZONE, SERVFAIL, ...
     */
    record Rejected(Rcode rcode) implements UpdateError {}

    /** Whether another attempt may succeed: no answer came, or the primary failed (SERVFAIL). */
    default boolean worthRetrying() {
        return switch (this) {
            case Connect c -> true;
            case Send s -> true;
            case Read r -> true;
            case ClosedEarly c -> true;
            case TimedOut t -> true;
            case Rejected r -> r.rcode().equals(Rcode.SERVFAIL);
            case OutsideZone o -> false;
            case TooLarge t -> false;
            case Malformed m -> false;
            case NotTheAnswer n -> false;
            case BadTsig b -> false;
            case KeyRejected k -> false;
        };
    }

    /** One line for an operator's log. */
    default String describe() {
        return switch (this) {
            case OutsideZone o -> o.record() + " is not in zone " + o.zone();
            case TooLarge t -> "the update is " + t.size() + " bytes, more than a TCP message holds (65535)";
            case Connect c -> "connecting to " + c.primary() + ": " + c.error().describe();
            case Send s -> "sending to " + s.primary() + ": " + s.error();
            case Read r -> "reading from " + r.primary() + ": " + r.error();
            case ClosedEarly c -> c.primary() + " closed the connection before answering";
            case TimedOut t -> "no answer from " + t.primary() + " within " + t.after();
            case Malformed m -> "the answer does not decode: " + m.error().describe();
            case NotTheAnswer n -> "a message that is not the answer to the update (ID " + n.id() + ", opcode " + n.opcode() + ")";
            case BadTsig b -> "the answer's TSIG does not verify: " + b.error().describe();
            case KeyRejected k -> "the primary refused our TSIG key: " + k.rcode() + " with TSIG error " + k.tsigError();
            case Rejected r -> "the primary answered " + r.rcode();
        };
    }
}
