package jmirage.authoritative.transfer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * The recent history of each zone as differences between serials, for IXFR (RFC 1995): immutable.
 * Kept in memory; after a restart, or beyond {@link #MAX_STEPS} versions back, IXFR falls back to a
 * full transfer (RFC 1995 4).
 */
public record Journal(Map<Name, List<Step>> steps) {

    public static final int MAX_STEPS = 100;
    public static final Journal EMPTY = new Journal(Map.of());

    public Journal {
        steps = Map.copyOf(steps);
    }

    /** One version to the next: the old and new SOA records, and the other records removed and added. */
    public record Step(Record fromSoa, Record toSoa, List<Record> removed, List<Record> added) {
        public Step {
            removed = List.copyOf(removed);
            added = List.copyOf(added);
        }

        long from() {
            return serial(fromSoa);
        }

        long to() {
            return serial(toSoa);
        }
    }

    static long serial(Record soa) {
        return ((jmirage.dns.Rdata.Soa) soa.rdata()).serial();
    }

    /** This journal with the change from {@code before} to {@code after}; a zone whose serial did not grow starts over. */
    public Journal record(Zone before, Zone after) {
        Map<Name, List<Step>> next = new HashMap<>(steps);
        if (!jmirage.authoritative.update.Serial.greater(after.serial(), before.serial())) {
            next.remove(after.origin()); // serial kept or lowered: the history no longer leads to what is served
            return new Journal(next);
        }
        Zone.Diff d = before.diff(after);
        Step step = new Step(before.soaSet().records().getFirst(), after.soaSet().records().getFirst(),
                d.removed().stream().filter(r -> r.type() != Type.SOA).toList(),
                d.added().stream().filter(r -> r.type() != Type.SOA).toList());
        List<Step> list = new ArrayList<>(next.getOrDefault(after.origin(), List.of()));
        if (!list.isEmpty() && list.getLast().to() != before.serial()) {
            list.clear(); // a gap: older steps cannot chain to the new one
        }
        list.add(step);
        while (list.size() > MAX_STEPS) {
            list.removeFirst();
        }
        next.put(after.origin(), List.copyOf(list));
        return new Journal(next);
    }

    /** This journal without the history of {@code origin}. */
    public Journal forget(Name origin) {
        Map<Name, List<Step>> next = new HashMap<>(steps);
        next.remove(origin);
        return new Journal(next);
    }

    /** The steps from serial {@code from} to {@code to}, if the journal has all of them. */
    public Optional<List<Step>> path(Name origin, long from, long to) {
        List<Step> list = steps.getOrDefault(origin, List.of());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).from() == from) {
                List<Step> path = list.subList(i, list.size());
                return path.getLast().to() == to ? Optional.of(List.copyOf(path)) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
