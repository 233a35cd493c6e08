package jmirage.dns;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DNS message (RFC 1035 4.1). The OPT pseudo-record is not in {@code additional} but is
 * {@code edns}; a TSIG record, if any, is the last of {@code additional} (RFC 8945 5.1).
 */
public record Message(Header header, List<Question> questions, List<Record> answers, List<Record> authority,
        List<Record> additional, Optional<Edns> edns) {

    public Message {
        Objects.requireNonNull(header);
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
        Objects.requireNonNull(edns);
        if (header.rcode() > 15 && edns.isEmpty()) {
            throw new IllegalArgumentException("an rcode above 15 needs EDNS");
        }
        for (int i = 0; i < additional.size() - 1; i++) {
            if (additional.get(i).type() == Type.TSIG) {
                throw new IllegalArgumentException("TSIG must be the last record");
            }
        }
        for (List<Record> section : List.of(answers, authority)) {
            for (Record r : section) {
                if (r.type() == Type.TSIG) {
                    throw new IllegalArgumentException("TSIG outside the additional section");
                }
            }
        }
    }

    /** A query for {@code name} and {@code type}, recursion desired, with EDNS if {@code edns} is present. */
    public static Message query(int id, Name name, int type, Optional<Edns> edns) {
        return new Message(Header.query(id), List.of(new Question(name, type)), List.of(), List.of(), List.of(), edns);
    }

    public Message withHeader(Header h) {
        return new Message(h, questions, answers, authority, additional, edns);
    }

    public Message withAdditional(List<Record> records) {
        return new Message(header, questions, answers, authority, records, edns);
    }

    /** The TSIG record, if the message carries one. */
    public Optional<Record> tsig() {
        return additional.isEmpty() || additional.getLast().type() != Type.TSIG
                ? Optional.empty() : Optional.of(additional.getLast());
    }
}
