package jmirage.authoritative.secondary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.ZoneError;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * Reads the records of an AXFR or IXFR answer as they arrive, pure, and says when the transfer is
 * complete and what it gives: nothing new (one SOA, RFC 1995 4), a whole zone (AXFR form, RFC
 * 5936 2.2), or the copy with the differences applied (IXFR form, RFC 1995 4).
 */
public final class TransferReader {

    /** What a finished transfer gives. */
    public sealed interface Outcome {
        record UpToDate(long serial) implements Outcome {}

        record Full(Zone zone) implements Outcome {}

        record Incremental(Zone zone, int steps) implements Outcome {}
    }

    /** A primary that sends more records than this is cut off: the copy must fit in memory. */
    public static final int MAX_RECORDS = 2_000_000;

    private enum Phase { FIRST, SECOND, AXFR, DELETIONS, ADDITIONS, DONE }

    private final Name origin;
    private final Optional<Zone> current;
    private Phase phase = Phase.FIRST;
    private long newSerial;
    private Record firstSoa;
    private final List<Record> all = new ArrayList<>();
    private Zone working;
    private List<Record> removed = new ArrayList<>();
    private List<Record> added = new ArrayList<>();
    private Record stepFrom;
    private Record stepTo;
    private int steps;
    private int seen;
    private TransferError error;

    public TransferReader(Name origin, Optional<Zone> current) {
        this.origin = origin;
        this.current = current;
    }

    /** Takes the answer records of one message, in order. */
    public void feed(List<Record> records) {
        for (Record r : records) {
            if (error != null || phase == Phase.DONE) {
                if (phase == Phase.DONE && error == null) {
                    error = new TransferError.RecordsAfterEnd();
                }
                return;
            }
            take(r);
        }
    }

    private void take(Record r) {
        if (++seen > MAX_RECORDS) {
            error = new TransferError.TooManyRecords(MAX_RECORDS);
            return;
        }
        boolean soa = r.rdata() instanceof Rdata.Soa;
        switch (phase) {
            case FIRST -> {
                if (!soa || !r.name().equals(origin)) {
                    error = new TransferError.NoStartingSoa(origin);
                    return;
                }
                firstSoa = r;
                newSerial = serial(r);
                phase = Phase.SECOND;
            }
            case SECOND -> {
                if (soa && serial(r) != newSerial) {
                    if (current.isEmpty() || serial(r) != current.get().serial()) {
                        error = new TransferError.UnknownBase(serial(r));
                        return;
                    }
                    working = current.get();
                    stepFrom = r;
                    phase = Phase.DELETIONS;
                } else if (soa) {
                    phase = Phase.DONE; // AXFR of a zone with only its SOA: refused by the zone check below
                    all.add(firstSoa);
                } else {
                    all.add(firstSoa);
                    all.add(r);
                    phase = Phase.AXFR;
                }
            }
            case AXFR -> {
                if (soa) {
                    phase = Phase.DONE;
                } else {
                    all.add(r);
                }
            }
            case DELETIONS -> {
                if (soa) {
                    stepTo = r;
                    phase = Phase.ADDITIONS;
                } else {
                    removed.add(r);
                }
            }
            case ADDITIONS -> {
                if (soa) {
                    applyStep();
                    if (error != null) {
                        return;
                    }
                    if (serial(r) == newSerial) {
                        phase = Phase.DONE;
                    } else {
                        stepFrom = r;
                        phase = Phase.DELETIONS;
                    }
                } else {
                    added.add(r);
                }
            }
            case DONE -> { }
        }
    }

    private void applyStep() {
        List<Record> rem = new ArrayList<>(removed);
        rem.add(stepFrom);
        List<Record> add = new ArrayList<>(added);
        add.add(stepTo);
        switch (working.withChanges(rem, add)) {
            case Result.Ok<Zone, ZoneError>(Zone z) -> working = z;
            case Result.Err<Zone, ZoneError>(ZoneError e) -> error = new TransferError.StepBreaksZone(serial(stepTo), e);
        }
        removed = new ArrayList<>();
        added = new ArrayList<>();
        steps++;
    }

    /** Called at the end of each message: a lone SOA in an IXFR answer is complete. */
    public void endOfMessage() {
        if (phase == Phase.SECOND && current.isPresent()
                && !jmirage.authoritative.update.Serial.greater(newSerial, current.get().serial())) {
            phase = Phase.DONE;
        }
    }

    public boolean done() {
        return phase == Phase.DONE || error != null;
    }

    /** The outcome once {@link #done}. */
    public Result<Outcome, TransferError> outcome() {
        if (error != null) {
            return Result.err(error);
        }
        if (phase != Phase.DONE) {
            return Result.err(new TransferError.EndedEarly());
        }
        if (working != null) {
            return working.serial() == newSerial ? Result.ok(new Outcome.Incremental(working, steps))
                    : Result.err(new TransferError.WrongFinalSerial(working.serial(), newSerial));
        }
        if (all.isEmpty()) {
            return Result.ok(new Outcome.UpToDate(newSerial));
        }
        return Zone.of(origin, all).map(z -> (Outcome) new Outcome.Full(z)).mapError(TransferError.BrokenZone::new);
    }

    private static long serial(Record soa) {
        return ((Rdata.Soa) soa.rdata()).serial();
    }

}
