package jmirage.authoritative.secondary;

import java.util.Optional;
import jmirage.authoritative.store.ZoneOptionError;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
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
        return endpoint(rest, 53).map(primary -> new SecondaryZone(z.orElseThrow(), primary, keyName))
                .mapError(e -> new ZoneOptionError.BadAddress(option, text, e));
    }

    /** {@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address. */
    public static Result<Endpoint, AddressError> endpoint(String text, int defaultPort) {
        if (text.startsWith("[") || text.chars().filter(c -> c == ':').count() == 1) {
            return Endpoint.parse(text);
        }
        return jmirage.core.net.IpAddresses.parse(text).map(a -> new Endpoint(a, defaultPort));
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    @Override
    public String toString() {
        return zone + "@" + primary + keyName.map(k -> "#" + k).orElse("");
    }

}
