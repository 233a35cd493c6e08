package jmirage.resolver.policy;

import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.zone.ZoneFileError;

/** Why an RPZ zone (draft-vixie-dnsop-dns-rpz) was refused. */
public sealed interface RpzError {

    /** The master file does not parse; the error has the line. */
    record Syntax(ZoneFileError error) implements RpzError {}

    /** A record whose owner is not in the policy zone (triggers are names under its origin). */
    record OutsideZone(Name owner, Name origin) implements RpzError {}

    /** A special action (NXDOMAIN, NODATA, PASSTHRU, DROP) beside other records of the same trigger. */
    record ActionWithData(Name owner) implements RpzError {}

    /** A record of a type a policy cannot answer with (DNSSEC records, classes other than IN). */
    record NotPolicyData(Name owner, int type) implements RpzError {}

    default String problem() {
        return switch (this) {
            case Syntax(ZoneFileError e) -> e.problem();
            case OutsideZone(Name owner, Name origin) -> owner + " is not under the policy zone " + origin;
            case ActionWithData(Name owner) -> "policy action at " + owner + " beside other records";
            case NotPolicyData(Name owner, int type) -> Type.name(type) + " at " + owner + " is not policy data";
        };
    }

    /** The line when the parser knows it, else 0. */
    default int line() {
        return this instanceof Syntax(ZoneFileError e) ? e.line() : 0;
    }
}
