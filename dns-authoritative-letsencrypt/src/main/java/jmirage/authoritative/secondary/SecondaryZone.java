package jmirage.authoritative.secondary;

import java.util.Optional;
import jmirage.authoritative.store.ZoneOptionError;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;

/** A zone we are secondary for: its primary and the TSIG key to transfer with, from {@code --secondary ZONE@IP[:PORT][#KEY]}. */
public record SecondaryZone(Name zone, Endpoint primary, Optional<Name> keyName) {

    public static Result<SecondaryZone, ZoneOptionError> parse(String text) {
        String option = "--secondary";
        int at = text.indexOf('@');
        if (at <= 0) {
            return Result.err(new ZoneOptionError.Form(option, text, "ZONE@IP[:PORT][#KEYNAME]"));
        }
        String zone = text.substring(0, at);
        String rest = text.substring(at + 1);
        Optional<Name> key = Optional.empty();
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            String k = rest.substring(hash + 1);
            var parsed = Name.parse(absolute(k));
            if (!parsed.isOk()) {
                return Result.err(new ZoneOptionError.BadName(option, text, k));
            }
            key = Optional.of(parsed.orElseThrow());
            rest = rest.substring(0, hash);
        }
        var z = Name.parse(absolute(zone));
        if (!z.isOk()) {
            return Result.err(new ZoneOptionError.BadName(option, text, zone));
        }
        Optional<Name> keyName = key;
        return Endpoint.parse(rest, 53).map(primary -> new SecondaryZone(z.orElseThrow(), primary, keyName))
                .mapError(e -> new ZoneOptionError.BadAddress(option, text, e));
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    @Override
    public String toString() {
        return zone + "@" + primary + keyName.map(k -> "#" + k).orElse("");
    }

}
