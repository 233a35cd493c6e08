package jmirage.resolver.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.dns.Name;

/**
 * The names of the hosts-file blocklists ({@code --blocklist}), each blocked exactly (its
 * subdomains are not: hosts files list every name they block). A line blocks its names when its
 * address is a sink ({@code 0.0.0.0}, {@code 127.0.0.1}, {@code ::}, {@code ::1}) or absent (a list
 * of names); other lines are the file's own boilerplate ({@code 255.255.255.255 broadcasthost},
 * {@code ff02::1 ip6-allnodes}) and are skipped, as are names of one label, names that are
 * addresses ({@code 0.0.0.0 0.0.0.0}) and localhost names ({@code localhost.localdomain}: RFC 6761
 * 6.3 keeps them loopback names).
 */
public final class Blocklist {

    public static final Blocklist EMPTY = new Blocklist(NameTable.EMPTY, List.of(), 0);

    private final NameTable names; // value: index of the file that listed the name first
    private final List<String> files;
    private final int skipped;

    private Blocklist(NameTable names, List<String> files, int skipped) {
        this.names = names;
        this.files = List.copyOf(files);
        this.skipped = skipped;
    }

    /** The file that blocks exactly {@code name}, if one does. */
    public Optional<String> blockedBy(Name name) {
        int file = names.get(name);
        return file < 0 ? Optional.empty() : Optional.of(files.get(file));
    }

    Optional<String> blockedBy(NameTable.QueryName name) {
        int file = names.get(name, 0);
        return file < 0 ? Optional.empty() : Optional.of(files.get(file));
    }

    public int size() {
        return names.size();
    }

    /** Lines or names read and not blocked (boilerplate, one-label names). */
    public int skipped() {
        return skipped;
    }

    public long bytes() {
        return names.bytes();
    }

    /** Collects the names of several files, in order; a name listed twice keeps its first file. */
    public static final class Builder {
        private final NameTable.Builder names = new NameTable.Builder();
        private final List<String> files = new ArrayList<>();
        private int skipped;

        public Builder add(String file, List<HostsFile.Entry> entries) {
            int index = files.size();
            files.add(file);
            for (HostsFile.Entry e : entries) {
                if (e.scoped() || !e.address().map(Blocklist::isSink).orElse(true)) {
                    skipped += e.names().size();
                    continue;
                }
                for (Name n : e.names()) {
                    if (n.labelCount() < 2 || looksLikeAddress(n) || isLocalhost(n)) {
                        skipped++;
                    } else {
                        names.put(n, index);
                    }
                }
            }
            return this;
        }

        public Blocklist build() {
            return new Blocklist(names.build(), files, skipped);
        }
    }

    static boolean isSink(InetAddress address) {
        return address.isAnyLocalAddress() || address.isLoopbackAddress();
    }

    private static boolean isLocalhost(Name name) {
        return new String(name.label(0), java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("localhost");
    }

    private static boolean looksLikeAddress(Name name) {
        String s = name.toString();
        return s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }
}
