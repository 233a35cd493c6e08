package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.sim.SeededRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Whatever a spoofer changes of the real answer (ID, port, any letter's case, the type), the answer is dropped. */
class AnswerMatchProperties {

    private static final Endpoint SERVER = new Endpoint(IpAddresses.parse("127.0.0.2").orElseThrow(), 53);

    @Property(tries = 500)
    void onlyTheExactAnswerIsAccepted(@ForAll long seed, @ForAll @IntRange(min = 0, max = 0xffff) int id,
            @ForAll @IntRange(min = 0, max = 3) int change, @ForAll @IntRange(min = 0, max = 100) int where) {
        Name mixed = AnswerMatch.randomiseCase(Name.of("www.example.com."), new SeededRandom(seed));
        Message query = Message.query(id, mixed, Type.A, Optional.empty());
        Question q = query.questions().getFirst();
        Message right = new Message(new Header(id, true, 0, true, false, false, false, false, false, false, 0), List.of(q),
                List.of(), List.of(), List.of(), Optional.empty());
        assertTrue(AnswerMatch.check(SERVER, query, SERVER, MessageCodec.encode(right)).isOk());
        Result<Message, AnswerMatch.Dropped> spoofed = switch (change) {
            case 0 -> AnswerMatch.check(SERVER, query, SERVER, MessageCodec.encode(right.withHeader(right.header().withId((id + 1 + where) & 0xffff))));
            case 1 -> AnswerMatch.check(SERVER, query, new Endpoint(SERVER.address(), 1024 + where), MessageCodec.encode(right));
            case 2 -> AnswerMatch.check(SERVER, query, SERVER, MessageCodec.encode(new Message(right.header(),
                    List.of(new Question(flip(mixed, where), Type.A)), List.of(), List.of(), List.of(), Optional.empty())));
            default -> AnswerMatch.check(SERVER, query, SERVER, MessageCodec.encode(new Message(right.header(),
                    List.of(new Question(mixed, Type.AAAA)), List.of(), List.of(), List.of(), Optional.empty())));
        };
        assertFalse(spoofed.isOk(), spoofed.toString());
    }

    /** {@code name} with the case of one letter (the {@code where}-th, modulo the letters) flipped. */
    private static Name flip(Name name, int where) {
        byte[] wire = name.toWire();
        int letters = 0;
        for (byte b : wire) {
            letters += Character.isLetter(b) ? 1 : 0;
        }
        int target = where % letters;
        List<byte[]> labels = new java.util.ArrayList<>();
        int seen = 0;
        for (int i = 0; i < name.labelCount(); i++) {
            byte[] l = name.label(i);
            for (int j = 0; j < l.length; j++) {
                if (Character.isLetter(l[j]) && seen++ == target) {
                    l[j] = (byte) (l[j] ^ 0x20);
                }
            }
            labels.add(l);
        }
        return Name.ofLabels(labels).orElseThrow();
    }
}
