package jmirage.resolver.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Name;
import jmirage.dns.NameError;

/**
 * A hosts file read as text (hosts(5)): {@code ADDRESS NAME [ALIAS...]} lines, {@code #} comments
 * to the end of a line, blank lines. The blocklists people use are such files ({@code 0.0.0.0
 * ads.example}, StevenBlack/hosts) or plain lists of names, one a line, which is read as a line
 * without an address. Pure: text in, entries and errors out, each error with its line.
 */
public final class HostsFile {

    private HostsFile() {}

    /**
     * One line that names hosts.
     *
     * @param address empty for a line of names alone (a domain list)
     * @param scoped the address had a zone ({@code fe80::1%lo0}), dropped from {@code address}
     */
    public record Entry(int line, Optional<InetAddress> address, boolean scoped, List<Name> names) {
        public Entry {
            names = List.copyOf(names);
        }
    }

    /** What a file gave: its entries, and the lines refused (the file is used only without any). */
    public record Parsed(List<Entry> entries, List<HostsError> errors) {
        public Parsed {
            entries = List.copyOf(entries);
            errors = List.copyOf(errors);
        }
    }

    public static Parsed parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<HostsError> errors = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNumber++;
            line(text, start, end, lineNumber, entries, errors);
            start = end + 1;
        }
        return new Parsed(entries, errors);
    }

    private static void line(String text, int start, int end, int number, List<Entry> entries, List<HostsError> errors) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '#') {
                end = i;
            }
        }
        List<String> fields = fields(text, start, end);
        if (fields.isEmpty()) {
            return;
        }
        if (fields.size() == 1) {
            Optional<InetAddress> lone = address(fields.getFirst());
            if (lone.isPresent()) {
                errors.add(new HostsError.AddressWithoutName(number, fields.getFirst()));
            } else {
                names(fields, 0, number, errors).ifPresent(n -> entries.add(new Entry(number, Optional.empty(), false, n)));
            }
            return;
        }
        String literal = fields.getFirst();
        int percent = literal.indexOf('%');
        boolean scoped = percent >= 0;
        Optional<InetAddress> address = address(scoped ? literal.substring(0, percent) : literal);
        if (address.isEmpty()) {
            errors.add(new HostsError.BadAddress(number, literal));
            return;
        }
        names(fields, 1, number, errors).ifPresent(n -> entries.add(new Entry(number, address, scoped, n)));
    }

    private static Optional<InetAddress> address(String literal) {
        // only what looks like an address is tried: a host name is never an address here
        if (literal.isEmpty() || !(Character.digit(literal.charAt(0), 16) >= 0 || literal.charAt(0) == ':')
                || literal.indexOf(':') < 0 && !literal.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return switch (IpAddresses.parse(literal)) {
            case Result.Ok<InetAddress, ?>(InetAddress a) -> Optional.of(a);
            case Result.Err<InetAddress, ?> e -> Optional.empty();
        };
    }

    private static Optional<List<Name>> names(List<String> fields, int from, int number, List<HostsError> errors) {
        List<Name> names = new ArrayList<>(fields.size() - from);
        for (int i = from; i < fields.size(); i++) {
            String text = fields.get(i);
            switch (Name.parse(text.endsWith(".") ? text : text + ".")) {
                case Result.Ok<Name, NameError>(Name n) -> names.add(n);
                case Result.Err<Name, NameError>(NameError e) -> {
                    errors.add(new HostsError.BadName(number, text, e));
                    return Optional.empty();
                }
            }
        }
        return Optional.of(names);
    }

    /** The blank-separated fields of text[start, end). */
    private static List<String> fields(String text, int start, int end) {
        List<String> out = new ArrayList<>(3);
        int i = start;
        while (i < end) {
            while (i < end && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int f = i;
            while (i < end && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > f) {
                out.add(text.substring(f, i));
            }
        }
        return out;
    }
}
