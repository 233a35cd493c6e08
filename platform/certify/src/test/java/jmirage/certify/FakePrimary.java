package jmirage.certify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * A primary of the simulation tests, in test code: over TCP (RFC 7766 framing) it answers TLSA
 * queries from its record list and applies updates (RFC 2136 2.5.1 adds, 2.5.4 deletes) signed with
 * its one key, answering them signed; an update with another key gets NOTAUTH, unsigned (RFC 8945
 * 5.3.2 is not the point here). The test plays the certify role by adding records itself.
 */
final class FakePrimary {

    final List<Record> records = new ArrayList<>();
    int updates;
    int refused;
    boolean down;
    private final TsigKey key;
    private final Supplier<Instant> now;

    FakePrimary(TsigKey key, Supplier<Instant> now) {
        this.key = key;
        this.now = now;
    }

    Promise<?> listen(Stack stack) {
        return stack.listenTcp(53, this::serve);
    }

    private void serve(Flow flow) {
        read(flow, Bytes.EMPTY);
    }

    private void read(Flow flow, Bytes have) {
        if (have.size() >= 2) {
            int length = have.getUnsigned(0) << 8 | have.getUnsigned(1);
            if (have.size() >= 2 + length) {
                if (down) {
                    flow.close();
                    return;
                }
                Bytes answer = answer(have.slice(2, 2 + length));
                flow.write(Bytes.of((byte) (answer.size() >>> 8), (byte) answer.size()).concat(answer));
                read(flow, have.slice(2 + length, have.size()));
                return;
            }
        }
        flow.read().onSuccess(r -> {
            if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b))) {
                read(flow, have.concat(b));
            } else {
                flow.close();
            }
        });
    }

    private Bytes answer(Bytes wire) {
        Message m = MessageCodec.decode(wire).orElseThrow();
        Header h = m.header();
        if (h.opcode() == Header.QUERY) {
            List<Record> answers = records.stream().filter(r -> r.name().equals(m.questions().getFirst().name())
                    && r.type() == m.questions().getFirst().qtype()).toList();
            return MessageCodec.encode(new Message(reply(h, Header.NOERROR), m.questions(), answers, List.of(), List.of(),
                    Optional.empty()));
        }
        return switch (Tsig.verifyRequest(wire, n -> n.equals(key.name()) ? Optional.of(key) : Optional.empty(), now.get())) {
            case Result.Err<Tsig.Verified, TsigError>(TsigError e) -> {
                refused++;
                yield MessageCodec.encode(new Message(reply(h, Header.NOTAUTH), m.questions(), List.of(), List.of(), List.of(),
                        Optional.empty()));
            }
            case Result.Ok<Tsig.Verified, TsigError>(Tsig.Verified v) -> {
                updates++;
                for (Record r : v.message().authority()) {
                    if (r.rrClass() == DnsClass.NONE) {
                        records.removeIf(old -> old.name().equals(r.name()) && old.rdata().equals(r.rdata()));
                    } else if (r.type() != Type.TSIG) {
                        records.add(r);
                    }
                }
                Message ok = new Message(reply(h, Header.NOERROR), v.message().questions(), List.of(), List.of(), List.of(),
                        Optional.empty());
                yield Tsig.signResponse(ok, key, now.get(), Tsig.DEFAULT_FUDGE, v.mac()).wire();
            }
        };
    }

    private static Header reply(Header q, int rcode) {
        return new Header(q.id(), true, q.opcode(), true, false, q.rd(), false, false, false, false, rcode);
    }
}
