package jmirage.dns.zone;

import java.util.List;
import java.util.Optional;
import jmirage.dns.Token;

/** Test access to the master-file tokenizer. */
public final class MasterFileAccess {
    private MasterFileAccess() {}

    public static List<Token> tokens(String line) {
        List<MasterFile.Entry> e = MasterFile.entries(Optional.empty(), line);
        return e.isEmpty() ? List.of() : e.get(0).tokens();
    }
}
