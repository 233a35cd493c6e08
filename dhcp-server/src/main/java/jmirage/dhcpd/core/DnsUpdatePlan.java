package jmirage.dhcpd.core;

import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dhcpd.config.Ddns;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.Update.Change;
import jmirage.dns.client.Update.Prerequisite;
import jmirage.dns.client.UpdateError;

/**
 * The UPDATEs of one {@link DnsChange}, one after the other, as RFC 4703 lays them out, and what
 * each answer means: pure; the shell sends each {@link Step} to its zone's primary and hands the
 * answer back to {@link #after}.
 *
 * <ul>
 *   <li>Register (5.3.1): add A and DHCID if the name is not in use; if it is (YXDOMAIN), replace
 *       the A RRset only if the name's DHCID is ours (5.3.2), else it is another client's: a
 *       conflict, logged, the name left alone (and no PTR). Then the PTR, which is the server's
 *       (5.4): its RRset replaced.
 *   <li>Unregister (5.5): delete our A record if the DHCID is ours, then the DHCID if it is ours
 *       and no A record is left; then our PTR record.
 * </ul>
 */
public final class DnsUpdatePlan {

    private DnsUpdatePlan() {}

    /** Which UPDATE of the run. */
    public enum Kind { ADD, REPLACE_OURS, SET_PTR, REMOVE_A, REMOVE_DHCID, REMOVE_PTR }

    /** One UPDATE: to the zone that holds {@code owner}, with its prerequisites and changes (RFC 2136 2.4, 2.5). */
    public record Step(Kind kind, Ddns.Zone zone, Name owner, List<Prerequisite> prerequisites, List<Change> changes) {
        public Step {
            prerequisites = List.copyOf(prerequisites);
            changes = List.copyOf(changes);
        }
    }

    /** What an answer meant (counted by the shell as {@code jmirage_dhcp_ddns_updates_total{result}}). */
    public enum Outcome {
        /** A and DHCID added to a name not in use. */
        ADDED("added"),
        /** The name was ours already (a restart, a new address): its A replaced. */
        REPLACED("replaced"),
        /** The name is another client's (its DHCID is not ours, or it has no DHCID): left alone. */
        CONFLICT("conflict"),
        PTR_SET("ptr_set"),
        /** Our A record, and the DHCID when no A record is left, removed. */
        REMOVED("removed"),
        /** At removal, the name was not ours (any more): left alone. */
        NOT_OURS("not_ours"),
        PTR_REMOVED("ptr_removed"),
        /** The primary refused or did not answer (after the shell's retries); see the log. */
        FAILED("failed"),
        /** No zone statement holds the name: nothing sent. */
        NO_ZONE("no_zone");

        public final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /** What to count after an answer (if anything), and the UPDATE to send next (if any). */
    public record Next(Optional<Outcome> outcome, Optional<Step> step) {}

    /** The first UPDATE of {@code change}, or what stops it before any (no zone). */
    public static Next first(DnsChange change, Ddns ddns) {
        return switch (change) {
            case DnsChange.Register r -> forward(Kind.ADD, r, ddns).map(s -> new Next(Optional.empty(), Optional.of(s)))
                    .orElseGet(() -> new Next(Optional.of(Outcome.NO_ZONE), Optional.empty()));
            case DnsChange.Unregister u when u.forward() -> forward(Kind.REMOVE_A, u, ddns)
                    .map(s -> new Next(Optional.empty(), Optional.of(s)))
                    .orElseGet(() -> new Next(Optional.of(Outcome.NO_ZONE), reverse(Kind.REMOVE_PTR, u, ddns)));
            case DnsChange.Unregister u -> new Next(Optional.empty(), reverse(Kind.REMOVE_PTR, u, ddns));
        };
    }

    /** What the answer {@code answer} to {@code step} of {@code change} means, and what comes next. */
    public static Next after(DnsChange change, Step step, Result<Unit, UpdateError> answer, Ddns ddns) {
        Optional<Rcode> refused = answer instanceof Result.Err<Unit, UpdateError>(UpdateError.Rejected(Rcode rcode))
                ? Optional.of(rcode) : Optional.empty();
        boolean ok = answer.isOk();
        return switch (step.kind()) {
            case ADD -> ok ? done(Outcome.ADDED, reverse(Kind.SET_PTR, change, ddns))
                    // RFC 4703 5.3.1: YXDOMAIN, the name is in use: ours only if its DHCID says so (5.3.2)
                    : refused.equals(Optional.of(Rcode.YXDOMAIN)) ? new Next(Optional.empty(), forward(Kind.REPLACE_OURS, change, ddns))
                    : done(Outcome.FAILED, Optional.empty());
            case REPLACE_OURS -> ok ? done(Outcome.REPLACED, reverse(Kind.SET_PTR, change, ddns))
                    // RFC 4703 5.3.2: NXRRSET, another client's name (5.3.3: it is not ours to change)
                    : done(refused.equals(Optional.of(Rcode.NXRRSET)) ? Outcome.CONFLICT : Outcome.FAILED, Optional.empty());
            case SET_PTR -> done(ok ? Outcome.PTR_SET : Outcome.FAILED, Optional.empty());
            case REMOVE_A -> ok ? new Next(Optional.empty(), forward(Kind.REMOVE_DHCID, change, ddns))
                    : done(refused.equals(Optional.of(Rcode.NXRRSET)) ? Outcome.NOT_OURS : Outcome.FAILED,
                            reverse(Kind.REMOVE_PTR, change, ddns));
            // NXRRSET here: another A record is left at the name (not ours), so its DHCID stays
            case REMOVE_DHCID -> done(ok || refused.equals(Optional.of(Rcode.NXRRSET)) ? Outcome.REMOVED : Outcome.FAILED,
                    reverse(Kind.REMOVE_PTR, change, ddns));
            case REMOVE_PTR -> done(ok ? Outcome.PTR_REMOVED : Outcome.FAILED, Optional.empty());
        };
    }

    private static Next done(Outcome outcome, Optional<Step> next) {
        return new Next(Optional.of(outcome), next);
    }

    /** An UPDATE of the name's A and DHCID records, if a zone holds the name. */
    private static Optional<Step> forward(Kind kind, DnsChange change, Ddns ddns) {
        Name name = change.fqdn();
        long ttl = ttl(change, ddns);
        Record a = Record.in(name, ttl, new Rdata.A(change.address()));
        Record dhcid = Record.in(name, ttl, new Rdata.Opaque(Type.DHCID,
                Dhcid.of(change.lease().client(), change.lease().mac(), name)));
        Prerequisite ours = new Prerequisite.RrsetIs(dhcid);
        return ddns.zoneOf(name).map(zone -> switch (kind) {
            case ADD -> new Step(kind, zone, name, List.of(new Prerequisite.NameNotInUse(name)),
                    List.of(new Change.Add(a), new Change.Add(dhcid)));
            case REPLACE_OURS -> new Step(kind, zone, name, List.of(ours),
                    List.of(new Change.DeleteRrset(name, Type.A), new Change.Add(a)));
            case REMOVE_A -> new Step(kind, zone, name, List.of(ours), List.of(new Change.DeleteRecord(a)));
            case REMOVE_DHCID -> new Step(kind, zone, name, List.of(ours, new Prerequisite.RrsetAbsent(name, Type.A)),
                    List.of(new Change.DeleteRrset(name, Type.DHCID)));
            case SET_PTR, REMOVE_PTR -> throw new IllegalArgumentException(kind + " is a reverse update");
        });
    }

    /** An UPDATE of the address's PTR, if a zone holds its reverse name. */
    private static Optional<Step> reverse(Kind kind, DnsChange change, Ddns ddns) {
        if (!(ddns.reverseName(change.address()) instanceof Result.Ok<Name, NameError>(Name reverse))) {
            return Optional.empty();
        }
        Record ptr = Record.in(reverse, ttl(change, ddns), new Rdata.Ptr(change.fqdn()));
        return ddns.zoneOf(reverse).map(zone -> switch (kind) {
            // RFC 4703 5.4: the PTR is the server's: whatever was there is replaced
            case SET_PTR -> new Step(kind, zone, reverse, List.of(), List.of(new Change.DeleteRrset(reverse, Type.PTR),
                    new Change.Add(ptr)));
            case REMOVE_PTR -> new Step(kind, zone, reverse, List.of(), List.of(new Change.DeleteRecord(ptr)));
            case ADD, REPLACE_OURS, REMOVE_A, REMOVE_DHCID -> throw new IllegalArgumentException(kind + " is a forward update");
        });
    }

    /** The records' TTL: for a removal it is not sent (deletions carry TTL 0), so any will do. */
    private static long ttl(DnsChange change, Ddns ddns) {
        return switch (change) {
            case DnsChange.Register r -> ddns.ttlFor(r.leaseTime());
            case DnsChange.Unregister u -> 0;
        };
    }
}
