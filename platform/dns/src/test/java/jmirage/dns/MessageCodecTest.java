package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    static DecodeError err(String hex) {
        return ((Result.Err<Message, DecodeError>) MessageCodec.decode(Bytes.fromHex(hex))).error();
    }

    @Test
    void compressionPointerLoopsAndForwardPointersAreRejected() {
        // question name at 12 is a pointer to itself
        assertEquals(new DecodeError.PointerNotBackwards(12, 12), err("000100000001000000000000c00c00010001"));
        // pointer forward
        assertEquals(new DecodeError.PointerNotBackwards(12, 16), err("000100000001000000000000c01000010001"));
        // two names pointing at each other: 12 -> "a" + pointer to 18 (forward)
        assertEquals(new DecodeError.PointerNotBackwards(14, 18),
                err("00010000000200000000000001" + "61c012" + "00010001" + "c00c00010001"));
        // label of 5 bytes with 1 left
        assertEquals(new DecodeError.Truncated(12, 6, 2), err("0001000000010000000000000561"));
    }

    @Test
    void aPointerIntoTheHeaderIsRejected() {
        // "a" then a pointer to offset 0: the ID would be read as a label, so the name would change with the ID
        assertEquals(new DecodeError.PointerIntoHeader(14, 0), err("123401000001000000000000" + "0161c000" + "00010001"));
        assertEquals(new DecodeError.PointerIntoHeader(14, 11), err("123401000001000000000000" + "0161c00b" + "00010001"));
        // what QueryPathFuzzTest found in dns-resolver: a question name (one label of 51 bytes) ending in a pointer to offset 0
        assertEquals(new DecodeError.PointerIntoHeader(64, 0), err("123201100001000000000001333030676e6564000001000000000100"
                + "00000474ab7374000010000100002904d07e00802800010701000000706c650c742e7374c0000010000100002904d0000080000000"));
        // the first name may be pointed at: a pointer to 12 is the usual compression
        assertTrue(MessageCodec.decode(Bytes.fromHex("123401000002000000000000" + "016100" + "00010001" + "c00c" + "001c0001")).isOk());
    }

    @Test
    void namesAreCompressedOnEncode() throws Exception {
        Name n = Name.of("www.example.com.");
        Message m = new Message(Header.query(1).withId(1), List.of(new Question(n, Type.A)),
                List.of(Record.in(n, 60, new Rdata.Cname(Name.of("web.example.com.")))), List.of(), List.of(),
                Optional.empty());
        Bytes wire = MessageCodec.encode(m);
        // 12 header + 17+4 question + 2 (pointer) +10 + rdata "web" + pointer = 6
        assertEquals(12 + 21 + 12 + 6, wire.size());
        assertEquals(m, MessageCodec.decode(wire).orElseThrow());
    }

    @Test
    void truncationDropsWholeRecordsSetsTcAndKeepsOpt() throws Exception {
        List<Record> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(Record.in(Name.of("big.example."), 60,
                    new Rdata.A((Inet4Address) InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}))));
        }
        Message m = new Message(new Header(7, true, 0, false, false, true, true, false, false, false, 0),
                List.of(new Question(Name.of("big.example."), Type.A)), answers, List.of(), List.of(),
                Optional.of(Edns.of(512)));
        Bytes wire = MessageCodec.encode(m, 512);
        assertTrue(wire.size() <= 512, "size " + wire.size());
        Message back = MessageCodec.decode(wire).orElseThrow();
        assertTrue(back.header().tc());
        assertTrue(back.edns().isPresent());
        assertEquals(answers.subList(0, back.answers().size()), back.answers());
        assertTrue(back.answers().size() > 20);
        // fits: no TC
        assertFalse(MessageCodec.decode(MessageCodec.encode(m, 65535)).orElseThrow().header().tc());
    }

    @Test
    void ednsOptionsAndExtendedRcodeDecodeToTheirCases() {
        Edns e = new Edns(1232, 0, true, 0, List.of(
                new EdnsOption.Cookie(Bytes.fromHex("0102030405060708"), Bytes.fromHex("1112131415161718")),
                new EdnsOption.Padding(16), new EdnsOption.ExtendedError(18, "prohibited"),
                new EdnsOption.Opaque(3, Bytes.utf8("nsid"))));
        Message m = new Message(new Header(1, true, 0, false, false, false, false, false, false, false, Header.BADCOOKIE),
                List.of(), List.of(), List.of(), List.of(), Optional.of(e));
        Bytes wire = MessageCodec.encode(m);
        Message back = MessageCodec.decode(wire).orElseThrow();
        assertEquals(m, back);
        assertEquals(23, back.header().rcode());
        // non-zero padding and a wrong-sized cookie stay opaque rather than failing
        String opt = "0000" + "2904d0" + "00000000" + "000c" + "000c0002abcd" + "000a00020102";
        Message odd = MessageCodec.decode(Bytes.fromHex("000180000000000000000001" + opt)).orElseThrow();
        assertEquals(List.of(new EdnsOption.Opaque(12, Bytes.fromHex("abcd")), new EdnsOption.Opaque(10, Bytes.fromHex("0102"))),
                odd.edns().get().options());
    }

    @Test
    void twoOptRecordsAndMisplacedTsigAreFormatErrors() {
        String opt = "00002904d0000000000000";
        assertEquals(new DecodeError.DuplicateOpt(23), err("000180000000000000000002" + opt + opt));
        // an A record with a 3-byte rdata
        assertEquals(new DecodeError.WrongRdataLength(23, Type.A, 3),
                err("000180000000000100000000" + "0000010001000000000003010203"));
        String tsigRr = "00" + "00fa" + "00ff" + "00000000" + "001d" + "0b686d61632d73686132353600" + "000000000001"
                + "012c" + "0000" + "0001" + "0000" + "0000";
        String aRr = "00" + "0001" + "0001" + "00000000" + "0004" + "01020304";
        assertEquals(new DecodeError.TsigNotLast(12), err("000180000000000000000002" + tsigRr + aRr));
    }

    @Test
    void updateMessagesWithEmptyRdataOfClassAnyAndNoneDecode() throws Exception {
        // dnsjava's Update: delete an RRset (class ANY, RDLENGTH 0), prerequisite "RRset does not
        // exist" (class NONE, RDLENGTH 0), delete all RRsets at a name (type ANY), add a record
        org.xbill.DNS.Name zone = new org.xbill.DNS.Name("example.");
        org.xbill.DNS.Update u = new org.xbill.DNS.Update(zone);
        u.absent(new org.xbill.DNS.Name("new.example."), org.xbill.DNS.Type.A);
        u.delete(new org.xbill.DNS.Name("old.example."), org.xbill.DNS.Type.A);
        u.delete(new org.xbill.DNS.Name("gone.example."));
        u.add(new org.xbill.DNS.Name("new.example."), org.xbill.DNS.Type.A, 300, "192.0.2.7");
        Bytes wire = Bytes.of(u.toWire());
        Message m = MessageCodec.decode(wire).orElseThrow();
        assertEquals(Header.UPDATE, m.header().opcode());
        assertEquals(new Record(Name.of("new.example."), DnsClass.NONE, 0, new Rdata.Empty(Type.A)), m.answers().get(0));
        assertEquals(new Record(Name.of("old.example."), DnsClass.ANY, 0, new Rdata.Empty(Type.A)), m.authority().get(0));
        assertEquals(Type.ANY, m.authority().get(1).type());
        assertEquals(DnsClass.ANY, m.authority().get(1).rrClass());
        assertEquals(DnsClass.IN, m.authority().get(2).rrClass());
        assertEquals(wire, MessageCodec.encode(m), "re-encodes to the same bytes");
        // class IN with no data is still an error: an A record has four bytes
        assertFalse(MessageCodec.decode(Bytes.fromHex("000100000000000100000000" + "00" + "0001" + "0001" + "00000000"
                + "0000")).isOk());
    }

    /** One minimal message per wire decoding error; each case holds where decoding stopped. */
    @Test
    void eachDecodeErrorCaseComesFromAMinimalMessage() {
        String query = "000100000001000000000000";
        String answer = "000180000000000100000000";
        String additional = "000180000000000000000001";
        String root = "00";
        String ttl = "00000000";
        Map<String, DecodeError> cases = new LinkedHashMap<>();
        cases.put("0001", new DecodeError.Truncated(2, 2, 0));
        cases.put("000000000000000000000000" + "00", new DecodeError.TrailingBytes(12, 1));
        cases.put(query + "c00c00010001", new DecodeError.PointerNotBackwards(12, 12));
        cases.put(query + "c00000010001", new DecodeError.PointerIntoHeader(12, 0));
        cases.put(query + "4000010001", new DecodeError.UnknownLabelType(12, 0x40));
        cases.put(query + ("3f" + "61".repeat(63)).repeat(5) + "0000010001", new DecodeError.NameTooLong(12 + 3 * 64));
        cases.put(answer + root + "00010001" + ttl + "0003" + "010203", new DecodeError.WrongRdataLength(23, Type.A, 3));
        cases.put(answer + root + "00020001" + ttl + "0002" + "0000", new DecodeError.RdataLeftOver(24, Type.NS, 1));
        cases.put(answer + root + "00100001" + ttl + "0000", new DecodeError.EmptyTxt(23));
        cases.put(answer + root + "01010001" + ttl + "0003" + "00012d", new DecodeError.BadCaaTag(24));
        cases.put(answer + root + "00400001" + ttl + "000d" + "0001" + "00" + "000300020035" + "00010000",
                new DecodeError.SvcParamsOutOfOrder(32, 1));
        cases.put(answer + root + "00320001" + ttl + "0006" + "010000000000", new DecodeError.EmptyNsec3Hash(28));
        cases.put(answer + root + "002f0001" + ttl + "0003" + "000000", new DecodeError.BadTypeBitmap(24, 0, 0));
        cases.put(answer + root + "00291000" + ttl + "0000", new DecodeError.OptOutsideAdditional(12));
        String opt = root + "00291000" + ttl + "0000";
        cases.put("000180000000000000000002" + opt + opt, new DecodeError.DuplicateOpt(23));
        cases.put(additional + "016100" + "00291000" + ttl + "0000", new DecodeError.OptOwnerNotRoot(12));
        cases.put(additional + root + "00291000" + ttl + "0002" + "0001", new DecodeError.EdnsOptionOverrun(23));
        cases.put(answer + root + "00fa00ff" + ttl + "0000", new DecodeError.TsigNotLast(12));
        Set<Class<?>> produced = new HashSet<>();
        cases.forEach((hex, expected) -> {
            DecodeError e = err(hex);
            assertEquals(expected, e, hex);
            assertTrue(e.describe().startsWith("at byte " + e.offset() + ": "), e.describe());
            produced.add(e.getClass());
        });
        assertEquals(Set.of(DecodeError.class.getPermittedSubclasses()), produced, "a minimal message for every case");
        String action = switch (err(query + "c00c00010001")) {
            case DecodeError.PointerNotBackwards(int offset, int target) -> "loop at " + offset + " to " + target;
            case DecodeError other -> other.describe();
        };
        assertEquals("loop at 12 to 12", action);
        assertEquals(new RdataTextError.GenericNotWire(Type.A, new DecodeError.WrongRdataLength(0, Type.A, 3)),
                ((Result.Err<Rdata, RdataTextError>) RdataText.parse(Type.A,
                        List.of(Token.plain("\\#"), Token.plain("3"), Token.plain("010203")), Name.ROOT)).error());
    }
}
