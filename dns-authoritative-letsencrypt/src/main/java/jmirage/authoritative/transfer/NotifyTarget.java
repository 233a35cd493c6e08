package jmirage.authoritative.transfer;

import java.util.Optional;
import jmirage.authoritative.store.ZoneOptionError;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;

/** A secondary to notify of every change, from {@code --notify IP[:PORT][#KEYNAME]}. */
public record NotifyTarget(Endpoint endpoint, Optional<Name> keyName) {

    public static Result<NotifyTarget, ZoneOptionError> parse(String text) {
        int hash = text.indexOf('#');
        Optional<Name> key = Optional.empty();
        String addr = text;
        if (hash >= 0) {
            String k = text.substring(hash + 1);
            var n = Name.parse(k.endsWith(".") ? k : k + ".");
            if (!n.isOk()) {
                return Result.err(new ZoneOptionError.BadName("--notify", text, k));
            }
            key = Optional.of(n.orElseThrow());
            addr = text.substring(0, hash);
        }
        Optional<Name> keyName = key;
        return Endpoint.parse(addr, 53).map(e -> new NotifyTarget(e, keyName))
                .mapError(e -> new ZoneOptionError.BadAddress("--notify", text, e));
    }
}
