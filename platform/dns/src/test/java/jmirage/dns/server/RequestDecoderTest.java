package jmirage.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Record;
import jmirage.dns.Rdata;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

/** What a server does with bytes that arrive: answer the request, FORMERR, or silence. */
class RequestDecoderTest {

    static RequestDecoder.Undecodable why(Bytes wire) {
        return ((Result.Err<Message, RequestDecoder.Undecodable>) RequestDecoder.decode(wire)).error();
    }

    @Test
    void aRequestDecodes() {
        Message q = Message.query(7, Name.of("a.example."), Type.A, Optional.empty());
        assertEquals(q, RequestDecoder.decode(MessageCodec.encode(q)).orElseThrow());
    }

    @Test
    void aRequestHeaderWithBadBytesAfterItGetsFormerrWithItsIdOpcodeAndRd() {
        // ID 0x1234, opcode UPDATE (5), RD set, one question whose name points forward (a loop)
        Bytes wire = Bytes.of(new byte[] {0x12, 0x34, (byte) (5 << 3 | 1), 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 14, 0, 1});
        RequestDecoder.Undecodable.Malformed m = assertInstanceOf(RequestDecoder.Undecodable.Malformed.class, why(wire));
        Message answer = MessageCodec.decode(m.answer().orElseThrow()).orElseThrow();
        Header h = answer.header();
        assertEquals(List.of(0x1234, true, 5, true, Rcode.FORMERR.value()), List.of(h.id(), h.qr(), h.opcode(), h.rd(), h.rcode()));
        assertTrue(answer.questions().isEmpty());
    }

    @Test
    void responsesAndScrapsGetSilence() {
        assertEquals(new RequestDecoder.Undecodable.TooShort(11), why(Bytes.of(new byte[11])));
        Message response = new Message(new Header(1, true, Header.QUERY, true, false, false, false, false, false, false, 0),
                List.of(), List.of(Record.in(Name.of("a."), 60, new Rdata.Txt(List.of(Bytes.utf8("x"))))), List.of(), List.of(),
                Optional.empty());
        assertEquals(new RequestDecoder.Undecodable.Response(), why(MessageCodec.encode(response)));
        byte[] garbage = new byte[20];
        garbage[2] = (byte) 0x80; // QR set, the rest does not decode: still silence
        garbage[5] = 9;
        assertEquals(Optional.empty(), why(Bytes.of(garbage)).answer());
    }
}
