package jmirage.authoritative.store;

import java.util.Optional;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.KeysError;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.ZoneError;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.dns.Name;

/**
 * One top-level file of the store read as the server reads it, a pure function shared by boot,
 * reload (SIGHUP, a signed NOTIFY, polling) and {@code ./unikernel check}, so the three accept and
 * refuse the same files. A file is a zone's master file (named after the zone), a keys file
 * ({@code _keys}, {@code ZONE._keys}), or something else the server leaves alone (a name starting
 * with {@code _} or {@code .}, such as {@code _secondary} or {@code .git}). Errors name the file (the
 * Kv key the operator wrote) and the operator's line, never {@code <input>}.
 */
public sealed interface StoreFile {

    record ZoneFile(String file, Zone zone) implements StoreFile {}

    record KeysFile(String file, Keys keys) implements StoreFile {}

    /** The file is a zone or keys file that does not parse: the server does not use it. */
    record Refused(String file, ConfigProblem problem) implements StoreFile {}

    /** Not a file the server reads. */
    record Other(String file) implements StoreFile {}

    static boolean isKeysFile(String file) {
        return file.equals("_keys") || file.endsWith("._keys");
    }

    /** Reads {@code text}, the contents of the top-level file {@code file}. */
    static StoreFile read(String file, String text) {
        if (isKeysFile(file)) {
            Optional<Name> origin = file.equals("_keys") ? Optional.of(Name.ROOT)
                    : zoneName(file.substring(0, file.length() - "._keys".length()));
            if (origin.isEmpty()) {
                return new Refused(file, ConfigProblem.of(file, "the name before ._keys is not a zone name"));
            }
            return switch (Keys.parse(text, origin.get())) {
                case Result.Ok<Keys, KeysError>(Keys k) -> new KeysFile(file, k);
                case Result.Err<Keys, KeysError>(KeysError e) -> new Refused(file, problem(file, e));
            };
        }
        if ((file.startsWith("_") && !file.equals(ROOT_ZONE_FILE)) || file.startsWith(".")) {
            return new Other(file);
        }
        Optional<Name> origin = zoneName(file);
        if (origin.isEmpty()) {
            return new Refused(file, ConfigProblem.of(file, "the file name is not a zone name"));
        }
        return switch (Zone.parse(text, origin.get())) {
            case Result.Ok<Zone, ZoneError>(Zone z) -> new ZoneFile(file, z);
            case Result.Err<Zone, ZoneError>(ZoneError e) -> new Refused(file, problem(file, e));
        };
    }

    /** A zone error where the operator looks for it: the file, and the line when the parser knows it. */
    static ConfigProblem problem(String file, ZoneError error) {
        return switch (error) {
            case ZoneError.Syntax(var e) -> new ConfigProblem(file, e.line(), e.problem());
            default -> ConfigProblem.of(file, error.describe());
        };
    }

    static ConfigProblem problem(String file, KeysError error) {
        return switch (error) {
            // Keys.parse reads the file behind one line of its own: the operator's line is one less
            case KeysError.Syntax(var e) -> new ConfigProblem(file, Math.max(0, e.line() - 1), e.problem());
            case KeysError.BadStatement(int line, String reason) -> new ConfigProblem(file, line, reason);
            default -> ConfigProblem.of(file, error.describe());
        };
    }

    /** The file of the root zone, whose name "." no Kv key can be. */
    static final String ROOT_ZONE_FILE = "_root";

    /** The zone a file is named after: the name with or without its final dot; {@code _root} for the root. */
    static Optional<Name> zoneName(String file) {
        if (file.equals(ROOT_ZONE_FILE)) {
            return Optional.of(Name.ROOT);
        }
        var parsed = Name.parse(file.endsWith(".") ? file : file + ".");
        return parsed.isOk() ? Optional.of(parsed.orElseThrow()) : Optional.empty();
    }
}
