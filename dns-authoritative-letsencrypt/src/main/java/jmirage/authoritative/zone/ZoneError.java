package jmirage.authoritative.zone;

import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.zone.ZoneFileError;

/** Why records do not make a zone (a master file, an update's result, a transferred copy). */
public sealed interface ZoneError {
    /** The master file does not parse; the line is the operator's. */
    record Syntax(ZoneFileError error) implements ZoneError {}

    /** A record of another class than IN. */
    record NotIn(Name owner, int rrClass) implements ZoneError {}

    /** A record whose owner is not at or below the origin. */
    record OutsideZone(Name owner, Name origin) implements ZoneError {}

    /** OPT, TSIG, AXFR, IXFR or ANY, which are no data. */
    record NotZoneData(Name owner, int type) implements ZoneError {}

    /** No SOA at the apex. */
    record NoSoa(Name origin) implements ZoneError {}

    /** More than one SOA at the apex. */
    record SeveralSoa(Name origin, int count) implements ZoneError {}

    /** No NS at the apex. */
    record NoApexNs(Name origin) implements ZoneError {}

    /** An SOA below the apex. */
    record SoaBelowApex(Name owner, Name origin) implements ZoneError {}

    /** More than one CNAME at a name. */
    record SeveralCnames(Name owner, int count) implements ZoneError {}

    /** RFC 2181 10.1: a CNAME beside other data (DNSSEC records excepted). */
    record CnameAndData(Name owner, int type) implements ZoneError {}

    /** More than one DNAME at a name. */
    record SeveralDnames(Name owner, int count) implements ZoneError {}

    /** RFC 6672 2.4: a name below a DNAME. */
    record BelowDname(Name owner, Name dname) implements ZoneError {}

    /** RFC 6672 2.3: a DNAME beside NS below the apex. */
    record DnameAndNs(Name owner) implements ZoneError {}

    default String describe() {
        return switch (this) {
            case Syntax s -> s.error().describe();
            case NotIn n -> n.owner() + ": class " + DnsClass.name(n.rrClass()) + " is not served (only IN)";
            case OutsideZone o -> o.owner() + " is outside the zone " + o.origin();
            case NotZoneData d -> d.owner() + ": " + Type.name(d.type()) + " cannot be zone data";
            case NoSoa n -> n.origin() + " has no SOA at its apex";
            case SeveralSoa s -> s.origin() + " has " + s.count() + " SOA records; a zone has exactly one";
            case NoApexNs n -> n.origin() + " has no NS records at its apex";
            case SoaBelowApex s -> s.owner() + ": an SOA below the apex of " + s.origin();
            case SeveralCnames c -> c.owner() + " has " + c.count() + " CNAME records; at most one is allowed";
            case CnameAndData c -> c.owner() + " has a CNAME and " + Type.name(c.type()) + " data (RFC 2181 10.1)";
            case SeveralDnames d -> d.owner() + " has " + d.count() + " DNAME records; at most one is allowed";
            case BelowDname b -> b.owner() + " is below the DNAME at " + b.dname() + " (RFC 6672 2.4)";
            case DnameAndNs d -> d.owner() + " has a DNAME and NS records; only the apex may (RFC 6672 2.3)";
        };
    }
}
