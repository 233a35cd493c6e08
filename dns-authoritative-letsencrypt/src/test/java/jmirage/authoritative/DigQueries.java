package jmirage.authoritative;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;

/** Every authoritative RRset of a zone as dig/kdig questions, and their output read back as records. */
public final class DigQueries {

    private DigQueries() {}

    /** The RRsets a client gets as an authoritative answer: everything but what lies at or below a cut (DS excepted). */
    public static List<RRset> authoritativeSets(Zone zone) {
        List<RRset> sets = new ArrayList<>();
        for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
            for (RRset set : node.getValue().values()) {
                if (!belowOrAtCut(zone, node.getKey()) || set.type() == Type.DS && atCut(zone, node.getKey())) {
                    sets.add(set);
                }
            }
        }
        return sets;
    }

    private static boolean atCut(Zone zone, Name name) {
        return !name.equals(zone.origin()) && zone.node(name).containsKey(Type.NS);
    }

    private static boolean belowOrAtCut(Zone zone, Name name) {
        for (int strip = 0; strip < name.labelCount() - zone.origin().labelCount(); strip++) {
            if (zone.node(name.parent(strip)).containsKey(Type.NS)) {
                return true;
            }
        }
        return false;
    }

    /** "name TYPE" arguments, one pair per RRset. */
    public static List<String> arguments(List<RRset> sets) {
        List<String> args = new ArrayList<>();
        for (RRset s : sets) {
            args.add(s.owner().toString());
            args.add(Type.name(s.type()));
        }
        return args;
    }

    public static Set<Record> records(List<RRset> sets) {
        Set<Record> all = new HashSet<>();
        sets.forEach(s -> all.addAll(s.records()));
        return all;
    }

    /** dig/kdig "+noall +answer" output parsed as a master file (comments and blank lines are ignored). */
    public static Set<Record> parse(String digOutput) {
        StringBuilder text = new StringBuilder();
        for (String line : digOutput.split("\n")) {
            if (!line.isBlank() && !line.startsWith(";")) {
                text.append(line).append('\n');
            }
        }
        return new HashSet<>(MasterFile.parse(text.toString(), Name.ROOT, MasterFile.IncludeResolver.NONE)
                .orElseThrow(e -> new IllegalStateException("unparsable dig output: " + e + "\n" + digOutput)));
    }
}
