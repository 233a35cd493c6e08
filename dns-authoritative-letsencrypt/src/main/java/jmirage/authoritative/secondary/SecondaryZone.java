package jmirage.authoritative.secondary;

import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;
import jmirage.dns.NameError;

/** A zone we are secondary for: its primary and the TSIG key to transfer with, from {@code --secondary ZONE@IP[:PORT][#KEY]}. */
public record SecondaryZone(Name zone, Endpoint primary, Optional<Name> keyName) {

    public static Result<SecondaryZone, String> parse(String text) {
        int at = text.indexOf('@');
        if (at <= 0) {
            return Result.err("expected ZONE@IP[:PORT][#KEYNAME], got " + text);
        }
        String zone = text.substring(0, at);
        String rest = text.substring(at + 1);
        Optional<Name> key = Optional.empty();
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            var k = Name.parse(absolute(rest.substring(hash + 1)));
            if (k instanceof Result.Err<Name, NameError>(NameError e)) {
                return Result.err("bad key name in " + text + ": " + e.describe());
            }
            key = Optional.of(k.orElseThrow());
            rest = rest.substring(0, hash);
        }
        var z = Name.parse(absolute(zone));
        if (z instanceof Result.Err<Name, NameError>(NameError e)) {
            return Result.err("bad zone in " + text + ": " + e.describe());
        }
        var primary = endpoint(rest, 53);
        if (primary instanceof Result.Err<Endpoint, String>(String e)) {
            return Result.err("bad primary in " + text + ": " + e);
        }
        return Result.ok(new SecondaryZone(z.orElseThrow(), primary.orElseThrow(), key));
    }

    /** {@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address. */
    public static Result<Endpoint, String> endpoint(String text, int defaultPort) {
        if (text.startsWith("[") || text.chars().filter(c -> c == ':').count() == 1) {
            return Endpoint.parse(text).mapError(AddressError::describe);
        }
        return jmirage.core.net.IpAddresses.parse(text).map(a -> new Endpoint(a, defaultPort)).mapError(AddressError::describe);
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    @Override
    public String toString() {
        return zone + "@" + primary + keyName.map(k -> "#" + k).orElse("");
    }

}
