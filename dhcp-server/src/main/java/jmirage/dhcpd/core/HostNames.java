package jmirage.dhcpd.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.net.dhcp.DhcpMessage;

/**
 * The host name a client asks to be known by in DNS, as ISC dhcpd takes it for {@code
 * ddns-hostname}: the name of the Client FQDN option (81, RFC 4702) when sent, else the Host Name
 * option (12, RFC 2132 3.14); only its first label is used, under the server's {@code
 * ddns-domainname} (a client does not choose the zone it lands in). The label must be a host name
 * label (RFC 1123 2.1: letters, digits and inner hyphens, at most 63), and is lower-cased; any other
 * is refused, not mapped: a guessed name ("alice-s-laptop" for "alice's laptop") would be one no
 * user typed, and could collide with a real one.
 */
public final class HostNames {

    private HostNames() {}

    /** RFC 1123 2.1 (RFC 952 as amended): a label may start with a digit; hyphens only inside. */
    private static final Pattern LDH = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** What a message asks for. */
    public sealed interface Asked {
        /** Neither option 81 nor option 12 (or an empty name). */
        record Nothing() implements Asked {}

        /** A usable host label; {@code fqdn} is the option 81 the client sent, answered in the reply. */
        record Label(String label, Optional<ClientFqdn> fqdn) implements Asked {}

        /** The client's name cannot be used, and why (for the log). */
        record Refused(String given, String why) implements Asked {}
    }

    public static Asked asked(DhcpMessage m) {
        Bytes fqdnOption = m.options().get(ClientFqdn.OPTION);
        if (fqdnOption != null) {
            return switch (ClientFqdn.parse(fqdnOption)) {
                case Result.Err<ClientFqdn, ClientFqdn.FqdnError>(ClientFqdn.FqdnError e) -> new Asked.Refused(fqdnOption.hex(), e.describe());
                case Result.Ok<ClientFqdn, ClientFqdn.FqdnError>(ClientFqdn f) ->
                        f.labels().isEmpty() ? hostNameOption(m, Optional.of(f)) : label(f.labels().getFirst(), Optional.of(f));
            };
        }
        return hostNameOption(m, Optional.empty());
    }

    private static Asked hostNameOption(DhcpMessage m, Optional<ClientFqdn> fqdn) {
        Bytes hostName = m.options().get(DhcpMessage.OPT_HOSTNAME);
        if (hostName == null) {
            return new Asked.Nothing();
        }
        String text = new String(hostName.toArray(), StandardCharsets.ISO_8859_1);
        int nul = text.indexOf('\0'); // some clients end the name with a NUL
        text = nul < 0 ? text : text.substring(0, nul);
        int dot = text.indexOf('.');
        return label(dot < 0 ? text : text.substring(0, dot), fqdn);
    }

    private static Asked label(String given, Optional<ClientFqdn> fqdn) {
        if (given.isEmpty()) {
            return new Asked.Nothing();
        }
        String lower = given.toLowerCase(java.util.Locale.ROOT);
        if (!LDH.matcher(lower).matches()) {
            return new Asked.Refused(given, "not a host name label (RFC 1123: letters, digits, inner hyphens, at most 63)");
        }
        return new Asked.Label(lower, fqdn);
    }

    /** {@code label} under {@code domain}, or why not (the whole name too long). */
    public static Result<Name, NameError> under(String label, Name domain) {
        return domain.prepend(label.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether every label of {@code name} is a lower-case host name label. */
    public static boolean ldh(Name name) {
        for (int i = 0; i < name.labelCount(); i++) {
            if (!LDH.matcher(new String(name.label(i), StandardCharsets.ISO_8859_1)).matches()) {
                return false;
            }
        }
        return !name.isRoot();
    }

    /** The labels of {@code name}, as option 81 carries them. */
    public static List<String> labels(Name name) {
        return java.util.stream.IntStream.range(0, name.labelCount())
                .mapToObj(i -> new String(name.label(i), StandardCharsets.ISO_8859_1)).toList();
    }
}
