package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

class RecentAnswersTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Resolution WWW = resolution("www.example.", 300);

    private static Resolution resolution(String name, long ttl) {
        return new Resolution(new Question(Name.of(name), Type.A, DnsClass.IN), Header.NOERROR,
                List.of(Record.in(Name.of(name), ttl, new Rdata.A((Inet4Address) InetAddress.ofLiteral("192.0.2.1")))), List.of(),
                List.of(), Security.INSECURE, Optional.empty(), false);
    }

    private static Bytes query(int id, String name) {
        return MessageCodec.encode(Message.query(id, Name.of(name), Type.A, Optional.empty()));
    }

    @Test
    void theSameBytesInTheSameSecondGetTheResponseWithTheirOwnId() {
        RecentAnswers recent = new RecentAnswers(16, 1);
        Bytes response = Bytes.fromHex("1234" + "8180" + "00010001" + "00000000");
        recent.keep(query(0x1234, "www.example."), response, WWW, 5 * SECOND + 10);

        int slot = recent.find(query(0xbeef, "www.example."), 6 * SECOND - 1);
        assertTrue(slot >= 0);
        assertEquals(Bytes.fromHex("beef" + "8180" + "00010001" + "00000000"), recent.response(slot, query(0xbeef, "www.example.")));
        assertSame(WWW, recent.resolution(slot));

        assertEquals(-1, recent.find(query(0x1234, "WWW.example."), 5 * SECOND + 20), "another spelling is other bytes");
        assertEquals(-1, recent.find(query(0x1234, "www.example."), 6 * SECOND), "the next second starts over");
        assertEquals(-1, recent.find(query(0x1234, "www.example.").slice(0, 2), 5 * SECOND + 20), "no query");
    }

    @Test
    void aQuestionNameThatWouldReadTheIdDoesNotDecodeSoIsNeverKept() {
        // found by QueryPathFuzzTest: the name ends in a pointer to offset 0, so its last label would
        // be read from the header, ID included; two such queries differing only in their ID would
        // ask two names with bytes equal but for the ID, and share a response
        Bytes pointing = Bytes.fromHex("123301100001000000000001333030676e656400000100000000010000000474ab7374000010000100002904d07e"
                + "00802000010701510000706c650c742e7374c0000010000100002904d0000080000000");
        assertEquals(new Result.Err<>(new DecodeError.PointerIntoHeader(64, 0)), MessageCodec.decode(pointing));
    }

    @Test
    void holdsAtMostItsEntriesInASecondThenStartsOver() {
        RecentAnswers recent = new RecentAnswers(3, 2);
        Bytes response = Bytes.fromHex("0000818000010000" + "00000000");
        for (int i = 0; i < 5; i++) {
            recent.keep(query(i, "n" + i + ".example."), response, WWW, SECOND);
        }
        long kept = java.util.stream.IntStream.range(0, 5).filter(i -> recent.find(query(9, "n" + i + ".example."), SECOND) >= 0).count();
        assertEquals(3, kept);
        // a new second: room again, the old entries gone
        recent.keep(query(1, "n4.example."), response, WWW, 2 * SECOND);
        assertTrue(recent.find(query(1, "n4.example."), 2 * SECOND) >= 0);
        assertEquals(-1, recent.find(query(1, "n0.example."), 2 * SECOND));
    }

    @Test
    void aReloadForgetsEverythingAtOnce() {
        RecentAnswers recent = new RecentAnswers(16, 3);
        recent.keep(query(1, "www.example."), Bytes.fromHex("0001818000010000" + "00000000"), WWW, SECOND);
        assertTrue(recent.find(query(2, "www.example."), SECOND + 1) >= 0);
        recent.forget();
        assertEquals(-1, recent.find(query(2, "www.example."), SECOND + 2));
        recent.keep(query(1, "www.example."), Bytes.fromHex("0001818000010000" + "00000000"), WWW, SECOND + 3);
        assertTrue(recent.find(query(2, "www.example."), SECOND + 4) >= 0, "and keeps again in the same second");
    }

    @Test
    void keepsOnlyAnswersThatMayBeReused() {
        assertTrue(RecentAnswers.mayKeep(WWW));
        assertFalse(RecentAnswers.mayKeep(resolution("www.example.", 0)), "TTL 0: this transaction only (RFC 1035 3.2.1)");
        assertFalse(RecentAnswers.mayKeep(Resolution.failure(WWW.question(), 22, "no reachable authority")));
        assertFalse(RecentAnswers.mayKeep(new Resolution(WWW.question(), Header.NOERROR, WWW.answer(), List.of(), List.of(),
                Security.INSECURE, Optional.empty(), true)), "stale");
    }
}
