package jmirage.authoritative.transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.core.Bytes;
import jmirage.dns.Message;
import jmirage.dns.Rcode;
import jmirage.dns.RdataCodec;
import jmirage.dns.Record;
import jmirage.dns.server.RequestTsig;

/**
 * Cuts the records of a transfer into messages (RFC 5936 2.2: as many records per message as fit)
 * and signs them as one TSIG stream (RFC 8945 5.3.1: the first chained on the request's MAC, each
 * next on the one before).
 */
public final class TransferStream {

    /** Records go into a message until their uncompressed size would pass this; compression only shrinks it. */
    static final int BUDGET = 16_000;

    private TransferStream() {}

    public static List<Bytes> encode(Message request, List<Record> records, RequestAuth.Outcome auth, Instant now) {
        List<List<Record>> chunks = new ArrayList<>();
        List<Record> current = new ArrayList<>();
        int size = 12 + 4 + request.questions().getFirst().name().wireLength();
        for (Record r : records) {
            int rsize = r.name().wireLength() + 10 + RdataCodec.toWire(r.rdata(), false).size();
            if (!current.isEmpty() && size + rsize > BUDGET) {
                chunks.add(current);
                current = new ArrayList<>();
                size = 12;
            }
            current.add(r);
            size += rsize;
        }
        chunks.add(current);
        List<Message> messages = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            // RFC 5936 2.2.1: the question is in the first message; later ones may omit it
            messages.add(new Message(RequestAuth.responseHeader(request, Rcode.NOERROR, true),
                    i == 0 ? request.questions() : List.of(), chunks.get(i), List.of(), List.of(), Optional.empty()));
        }
        return RequestTsig.answerStream(messages, RequestAuth.authentication(auth), now);
    }
}
