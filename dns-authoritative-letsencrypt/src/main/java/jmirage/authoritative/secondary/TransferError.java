package jmirage.authoritative.secondary;

import java.time.Duration;
import jmirage.authoritative.zone.ZoneError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.tsig.TsigError;

/** Why a zone transfer from a primary (RFC 5936 AXFR, RFC 1995 IXFR) gave no zone. */
public sealed interface TransferError {

    // ------------------------------------------------------------------ the connection

    record Connect(Endpoint primary, NetError error) implements TransferError {}

    record Send(Endpoint primary, FlowError error) implements TransferError {}

    record Read(Endpoint primary, FlowError error) implements TransferError {}

    /** The primary closed the connection before the transfer's last SOA. */
    record ClosedEarly(Endpoint primary) implements TransferError {}

    record TimedOut(Endpoint primary, Duration after) implements TransferError {}

    // ------------------------------------------------------------------ the messages

    /** RFC 8945 5.3.1: a message of the answer whose TSIG does not verify. */
    record BadTsig(TsigError error) implements TransferError {}

    /** RFC 8945 5.3.1: the stream must end on a signed message. */
    record LastUnsigned() implements TransferError {}

    record Malformed() implements TransferError {}

    /** An answer that is not a response to our query. */
    record WrongId() implements TransferError {}

    /** A primary that predates RFC 1995 answers IXFR with NOTIMP or FORMERR: ask with AXFR. */
    record IxfrUnsupported(Rcode rcode) implements TransferError {}

    record Refused(Rcode rcode) implements TransferError {}

    // ------------------------------------------------------------------ the records (TransferReader)

    record RecordsAfterEnd() implements TransferError {}

    record TooManyRecords(int max) implements TransferError {}

    record NoStartingSoa(Name origin) implements TransferError {}

    /** An IXFR from a serial we do not hold. */
    record UnknownBase(long serial) implements TransferError {}

    record StepBreaksZone(long toSerial, ZoneError error) implements TransferError {}

    record EndedEarly() implements TransferError {}

    record WrongFinalSerial(long reached, long announced) implements TransferError {}

    /** The whole zone transferred (AXFR) is no valid zone. */
    record BrokenZone(ZoneError error) implements TransferError {}

    default String describe() {
        return switch (this) {
            case Connect c -> "connecting to " + c.primary() + ": " + c.error().describe();
            case Send s -> "sending to " + s.primary() + ": " + s.error();
            case Read r -> "reading from " + r.primary() + ": " + r.error();
            case ClosedEarly c -> c.primary() + " closed the connection before the end";
            case TimedOut t -> "no complete answer from " + t.primary() + " within " + t.after();
            case BadTsig b -> "the answer's TSIG does not verify: " + b.error().describe();
            case LastUnsigned l -> "the last message of the transfer is not signed";
            case Malformed m -> "a malformed message in the answer";
            case WrongId w -> "an answer with another ID";
            case IxfrUnsupported i -> "IXFR refused with rcode " + i.rcode();
            case Refused r -> "the primary answered rcode " + r.rcode();
            case RecordsAfterEnd r -> "records after the end of the transfer";
            case TooManyRecords t -> "more than " + t.max() + " records";
            case NoStartingSoa n -> "the transfer does not start with the SOA of " + n.origin();
            case UnknownBase u -> "an incremental transfer from serial " + u.serial() + ", which we do not have";
            case StepBreaksZone s -> "step to serial " + s.toSerial() + " breaks the zone: " + s.error().describe();
            case EndedEarly e -> "the transfer ended early";
            case WrongFinalSerial w -> "the increments end at serial " + w.reached() + ", not " + w.announced();
            case BrokenZone b -> "the zone transferred is broken: " + b.error().describe();
        };
    }
}
