package jmirage.resolver.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/** One RRset of a section (RFC 2181 5) and the RRSIG records beside it that cover it. */
record Rrset(Name name, int type, List<Record> records, List<Record> sigRecords) {

    Rrset {
        records = List.copyOf(records);
        sigRecords = List.copyOf(sigRecords);
    }

    List<Rdata.Rrsig> sigs() {
        return sigRecords.stream().map(r -> (Rdata.Rrsig) r.rdata()).toList();
    }

    /** The signer named by the first RRSIG: the zone whose keys must verify this RRset. */
    java.util.Optional<Name> signer() {
        return sigs().stream().map(Rdata.Rrsig::signer).findFirst();
    }

    List<Record> all() {
        List<Record> out = new ArrayList<>(records);
        out.addAll(sigRecords);
        return out;
    }

    /** Groups a section into RRsets in order of first appearance; RRSIGs with no RRset are dropped. */
    static List<Rrset> group(List<Record> section) {
        record Key(Name name, int type, int rrClass) {}
        Map<Key, List<Record>> data = new LinkedHashMap<>();
        Map<Key, List<Record>> sigs = new LinkedHashMap<>();
        for (Record r : section) {
            if (r.rdata() instanceof Rdata.Rrsig s) {
                sigs.computeIfAbsent(new Key(r.name(), s.typeCovered(), r.rrClass()), k -> new ArrayList<>()).add(r);
            } else if (r.type() != Type.OPT) {
                data.computeIfAbsent(new Key(r.name(), r.type(), r.rrClass()), k -> new ArrayList<>()).add(r);
            }
        }
        List<Rrset> out = new ArrayList<>();
        data.forEach((k, records) -> out.add(new Rrset(k.name(), k.type(), records, sigs.getOrDefault(k, List.of()))));
        return out;
    }
}
