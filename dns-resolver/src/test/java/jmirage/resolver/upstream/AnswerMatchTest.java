package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
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
import org.junit.jupiter.api.Test;

class AnswerMatchTest {

    private static final Endpoint SERVER = new Endpoint(IpAddresses.parse("127.0.0.2").orElseThrow(), 53);
    private static final Message QUERY = Message.query(4242, Name.of("wWw.ExAmple.cOm."), Type.A, Optional.empty());

    private static Message answer(int id, Name name, int type, boolean qr) {
        return new Message(new Header(id, qr, 0, true, false, false, false, false, false, false, 0),
                List.of(new Question(name, type)), List.of(), List.of(), List.of(), Optional.empty());
    }

    private static Result<Message, AnswerMatch.Dropped> check(Endpoint from, Message m) {
        return AnswerMatch.check(SERVER, QUERY, from, MessageCodec.encode(m));
    }

    @Test
    void theExactAnswerIsAccepted() {
        Message ok = answer(4242, Name.of("wWw.ExAmple.cOm."), Type.A, true);
        assertEquals(Result.ok(ok), check(SERVER, ok).map(m -> m));
    }

    @Test
    void everythingElseIsDroppedWithItsReason() {
        Name asSent = Name.of("wWw.ExAmple.cOm.");
        assertEquals(Result.err(AnswerMatch.Dropped.WRONG_SOURCE), check(new Endpoint(SERVER.address(), 5353), answer(4242, asSent, Type.A, true)));
        assertEquals(Result.err(AnswerMatch.Dropped.WRONG_SOURCE),
                check(new Endpoint(IpAddresses.parse("127.0.0.9").orElseThrow(), 53), answer(4242, asSent, Type.A, true)));
        assertEquals(Result.err(AnswerMatch.Dropped.WRONG_ID), check(SERVER, answer(4243, asSent, Type.A, true)));
        assertEquals(Result.err(AnswerMatch.Dropped.WRONG_CASE), check(SERVER, answer(4242, Name.of("www.example.com."), Type.A, true)));
        assertEquals(Result.err(AnswerMatch.Dropped.WRONG_QUESTION), check(SERVER, answer(4242, asSent, Type.AAAA, true)));
        assertEquals(Result.err(AnswerMatch.Dropped.WRONG_QUESTION), check(SERVER, answer(4242, Name.of("evil.example.com."), Type.A, true)));
        assertEquals(Result.err(AnswerMatch.Dropped.NOT_A_RESPONSE), check(SERVER, answer(4242, asSent, Type.A, false)));
        assertEquals(Result.err(AnswerMatch.Dropped.MALFORMED), AnswerMatch.check(SERVER, QUERY, SERVER, Bytes.of((byte) 1, (byte) 2)));
    }

    @Test
    void caseRandomisationKeepsTheNameAndVariesTheCase() {
        SeededRandom random = new SeededRandom(3);
        Name name = Name.of("www.example.com.");
        boolean varied = false;
        for (int i = 0; i < 20; i++) {
            Name mixed = AnswerMatch.randomiseCase(name, random);
            assertEquals(name, mixed);
            varied |= !mixed.equalsExact(name);
        }
        assertTrue(varied);
        Name digits = Name.of("1.2.3.");
        assertTrue(AnswerMatch.randomiseCase(digits, random).equalsExact(digits));
        assertFalse(AnswerMatch.randomiseCase(Name.of("abcdefghijklmnop.test."), random).equalsExact(Name.of("abcdefghijklmnop.test.")));
    }
}
