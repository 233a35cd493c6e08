package jmirage.dns;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;

/** Messages to and from wire form (RFC 1035 4, RFC 6891 for OPT). */
public final class MessageCodec {

    /** The header's length (RFC 1035 4.1.1): the first name of a message starts after it. */
    static final int HEADER_SIZE = 12;

    private MessageCodec() {}

    /** A decoded message and where its last record begins (TSIG verification needs the raw bytes). */
    public record Decoded(Message message, int lastRecordOffset) {}

    public static Result<Message, DecodeError> decode(Bytes wire) {
        return decodeDetailed(wire).map(Decoded::message);
    }

    public static Result<Decoded, DecodeError> decodeDetailed(Bytes wire) {
        byte[] b = wire.toArray();
        try {
            return Result.ok(decode(b));
        } catch (WireReader.Failure f) {
            return Result.err(f.error);
        }
    }

    private static Decoded decode(byte[] b) {
        WireReader in = new WireReader(b, 0, b.length, HEADER_SIZE);
        int id = in.u16();
        int flags = in.u16();
        int qd = in.u16();
        int an = in.u16();
        int ns = in.u16();
        int ar = in.u16();
        List<Question> questions = new ArrayList<>(Math.min(qd, 4));
        for (int i = 0; i < qd; i++) {
            Name name = in.name();
            questions.add(new Question(name, in.u16(), in.u16()));
        }
        List<Record> answers = records(in, an);
        List<Record> authority = records(in, ns);
        List<Record> additional = new ArrayList<>(Math.min(ar, 16));
        Edns edns = null;
        int rcodeHigh = 0;
        int last = -1;
        for (int i = 0; i < ar; i++) {
            RecordHeader h = RecordHeader.read(in);
            last = h.start();
            if (h.type() == Type.OPT) {
                if (edns != null) {
                    throw new WireReader.Failure(new DecodeError.DuplicateOpt(last)); // RFC 6891 6.1.1
                }
                if (!h.name().isRoot()) {
                    throw new WireReader.Failure(new DecodeError.OptOwnerNotRoot(last)); // RFC 6891 6.1.2
                }
                // RFC 6891 6.1.3: the OPT record's TTL holds the extended RCODE, the version and the DO bit
                long ttl = h.ttl();
                rcodeHigh = (int) (ttl >>> 24);
                edns = new Edns(h.rrClass(), (int) (ttl >>> 16) & 0xff, (ttl & 0x8000) != 0, (int) (ttl & 0x7fff),
                        options(in, h.rdLength()));
                continue;
            }
            Rdata rdata = RdataCodec.read(h.type(), in, h.rdLength());
            if (h.type() == Type.TSIG && i != ar - 1) {
                throw new WireReader.Failure(new DecodeError.TsigNotLast(last)); // RFC 8945 5.1
            }
            additional.add(new Record(h.name(), h.rrClass(), h.ttl(), rdata));
        }
        if (in.remaining() != 0) {
            throw new WireReader.Failure(new DecodeError.TrailingBytes(in.pos, in.remaining()));
        }
        Header header = Header.fromWords(id, flags, rcodeHigh);
        return new Decoded(new Message(header, questions, answers, authority, additional, Optional.ofNullable(edns)),
                last);
    }

    private static List<Record> records(WireReader in, int count) {
        List<Record> out = new ArrayList<>(Math.min(count, 16));
        for (int i = 0; i < count; i++) {
            RecordHeader h = RecordHeader.read(in);
            if (h.type() == Type.OPT) {
                throw new WireReader.Failure(new DecodeError.OptOutsideAdditional(h.start())); // RFC 6891 6.1.1
            }
            if (h.type() == Type.TSIG) {
                throw new WireReader.Failure(new DecodeError.TsigNotLast(h.start())); // RFC 8945 5.1
            }
            // RFC 2136 2.4, 2.5: class ANY or NONE with no data stands for a whole RRset (UPDATE)
            boolean wholeRRset = h.rdLength() == 0 && (h.rrClass() == DnsClass.ANY || h.rrClass() == DnsClass.NONE)
                    && RdataCodec.isKnown(h.type());
            Rdata rdata = wholeRRset ? new Rdata.Empty(h.type()) : RdataCodec.read(h.type(), in, h.rdLength());
            out.add(new Record(h.name(), h.rrClass(), h.ttl(), rdata));
        }
        return out;
    }

    /** The fixed fields of a resource record before its RDATA (RFC 1035 4.1.3), and the offset it starts at. */
    private record RecordHeader(int start, Name name, int type, int rrClass, long ttl, int rdLength) {
        static RecordHeader read(WireReader in) {
            int start = in.pos;
            return new RecordHeader(start, in.name(), in.u16(), in.u16(), in.u32(), in.u16());
        }
    }

    private static List<EdnsOption> options(WireReader in, int len) {
        in.need(len);
        int end = in.pos + len;
        List<EdnsOption> out = new ArrayList<>();
        while (in.pos < end) {
            if (end - in.pos < 4) {
                throw new WireReader.Failure(new DecodeError.EdnsOptionOverrun(in.pos));
            }
            int code = in.u16();
            int olen = in.u16();
            if (olen > end - in.pos) {
                throw new WireReader.Failure(new DecodeError.EdnsOptionOverrun(in.pos - 4));
            }
            out.add(option(code, in.raw(olen)));
        }
        return out;
    }

    static EdnsOption option(int code, byte[] data) {
        Bytes bytes = Bytes.adopt(data);
        switch (code) {
            case EdnsOption.COOKIE -> {
                if (data.length == 8 || data.length >= 16 && data.length <= 40) {
                    return new EdnsOption.Cookie(bytes.slice(0, 8), bytes.slice(8, data.length));
                }
            }
            case EdnsOption.PADDING -> {
                boolean zero = true;
                for (byte x : data) {
                    zero &= x == 0;
                }
                if (zero) {
                    return new EdnsOption.Padding(data.length);
                }
            }
            case EdnsOption.EXTENDED_ERROR -> {
                if (data.length >= 2) {
                    try {
                        String text = StandardCharsets.UTF_8.newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(data, 2, data.length - 2)).toString();
                        return new EdnsOption.ExtendedError((data[0] & 0xff) << 8 | (data[1] & 0xff), text);
                    } catch (CharacterCodingException e) {
                        // not UTF-8: kept opaque below
                    }
                }
            }
            default -> { }
        }
        return new EdnsOption.Opaque(code, bytes);
    }

    /** The wire form, names compressed. */
    public static Bytes encode(Message m) {
        return Bytes.adopt(encode(m, 0xffff + 12, false));
    }

    /**
     * The wire form in at most {@code maxSize} bytes (RFC 1035 4.2.1, RFC 2181 9): additional records
     * that do not fit are left out; if answer or authority records do not fit, the rest is left out
     * and TC is set. The OPT record is always kept.
     */
    public static Bytes encode(Message m, int maxSize) {
        return Bytes.adopt(encode(m, maxSize, true));
    }

    private static byte[] encode(Message m, int maxSize, boolean truncate) {
        WireWriter w = new WireWriter(512);
        Header h = m.header();
        w.u16(h.id());
        w.u16(h.flagsWord());
        w.u16(m.questions().size());
        w.u16(0);
        w.u16(0);
        w.u16(0);
        for (Question q : m.questions()) {
            w.name(q.name(), true, false);
            w.u16(q.qtype());
            w.u16(q.qclass());
        }
        byte[] opt = m.edns().map(e -> optBytes(e, h.rcode())).orElse(new byte[0]);
        int budget = maxSize - opt.length;
        boolean tc = false;
        int[] counts = new int[3];
        List<List<Record>> sections = List.of(m.answers(), m.authority(), m.additional());
        outer:
        for (int s = 0; s < 3; s++) {
            List<Record> recs = sections.get(s);
            boolean tsigLast = s == 2 && m.tsig().isPresent();
            for (int i = 0; i < recs.size(); i++) {
                if (tsigLast && i == recs.size() - 1) {
                    w.raw(opt); // OPT goes before a TSIG, which must be last
                    opt = null;
                }
                int mark = w.position();
                writeRecord(w, recs.get(i));
                if (truncate && w.position() > budget) {
                    w.rollback(mark);
                    tc = s < 2;
                    break outer;
                }
                counts[s]++;
            }
        }
        if (opt != null) {
            w.raw(opt);
        }
        int arcount = counts[2] + (m.edns().isPresent() ? 1 : 0);
        w.put16At(6, counts[0]);
        w.put16At(8, counts[1]);
        w.put16At(10, arcount);
        if (tc) {
            w.put16At(2, h.withTc(true).flagsWord());
        }
        return w.toArray();
    }

    static void writeRecord(WireWriter w, Record r) {
        w.name(r.name(), true, false);
        w.u16(r.type());
        w.u16(r.rrClass());
        w.u32(r.ttl());
        int lenAt = w.position();
        w.u16(0);
        RdataCodec.write(r.rdata(), w, true, false);
        w.put16At(lenAt, w.position() - lenAt - 2);
    }

    private static byte[] optBytes(Edns e, int rcode) {
        WireWriter w = new WireWriter(64);
        w.u8(0);
        w.u16(Type.OPT);
        w.u16(e.udpPayloadSize());
        w.u32(((long) (rcode >>> 4) << 24) | (long) e.version() << 16 | (e.dnssecOk() ? 0x8000 : 0) | e.flags());
        int lenAt = w.position();
        w.u16(0);
        for (EdnsOption o : e.options()) {
            w.u16(o.code());
            switch (o) {
                case EdnsOption.Cookie c -> {
                    w.u16(8 + c.server().size());
                    w.bytes(c.client());
                    w.bytes(c.server());
                }
                case EdnsOption.Padding p -> {
                    w.u16(p.length());
                    w.raw(new byte[p.length()]);
                }
                case EdnsOption.ExtendedError x -> {
                    byte[] text = x.extraText().getBytes(StandardCharsets.UTF_8);
                    w.u16(2 + text.length);
                    w.u16(x.infoCode());
                    w.raw(text);
                }
                case EdnsOption.Opaque op -> {
                    w.u16(op.data().size());
                    w.bytes(op.data());
                }
            }
        }
        w.put16At(lenAt, w.position() - lenAt - 2);
        return w.toArray();
    }
}
