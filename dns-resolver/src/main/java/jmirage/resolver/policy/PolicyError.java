package jmirage.resolver.policy;

import jmirage.authoritative.keys.KeysError;
import jmirage.authoritative.zone.ZoneError;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.KvError;
import jmirage.dns.Name;

/** Why a policy file was refused, with the file (its Kv key) and, in the case, the line. */
public sealed interface PolicyError {

    String file();

    /** A line of a blocklist or local hosts file. */
    record Hosts(String file, HostsError error) implements PolicyError {}

    /** A response policy zone. */
    record Rpz(String file, RpzError error) implements PolicyError {}

    /** A local zone that does not parse or is not a zone (no SOA, records outside it...). */
    record LocalZone(String file, ZoneError error) implements PolicyError {}

    /** A second local zone file for a zone already read from {@code first}: which would an update change? */
    record SameZone(String file, Name zone, String first) implements PolicyError {}

    /** A file of {@code --update-keys} that is no keys file, or holds a key that cannot be used. */
    record UpdateKeys(String file, KeysError error) implements PolicyError {}

    /** The file could not be read from the store. */
    record Unreadable(String file, KvError error) implements PolicyError {}

    /** More refused lines of the file than are listed (a file that is not a hosts file at all). */
    record MoreLines(String file, int count) implements PolicyError {}

    /** The operator's line: {@code file:line: reason}. */
    default ConfigProblem problem() {
        return switch (this) {
            case Hosts(String file, HostsError e) -> new ConfigProblem(file, e.line(), e.problem());
            case Rpz(String file, RpzError e) -> new ConfigProblem(file, e.line(), e.problem());
            case LocalZone(String file, ZoneError e) -> e instanceof ZoneError.Syntax(var syntax)
                    ? new ConfigProblem(file, syntax.line(), syntax.problem())
                    : ConfigProblem.of(file, e.describe());
            case SameZone(String file, Name zone, String first) -> ConfigProblem.of(file, "zone " + zone
                    + " is already read from " + first);
            case UpdateKeys(String file, KeysError e) -> ConfigProblem.of(file, e.describe());
            case Unreadable(String file, KvError e) -> ConfigProblem.of(file, e.describe());
            case MoreLines(String file, int count) -> ConfigProblem.of(file, count + " more lines refused");
        };
    }

    default String describe() {
        return problem().describe();
    }
}
