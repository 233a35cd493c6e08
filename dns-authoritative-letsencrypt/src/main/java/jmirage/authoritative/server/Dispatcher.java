package jmirage.authoritative.server;

import jmirage.dns.Rcode;
import java.util.List;
import jmirage.authoritative.query.Responder;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Type;

/**
 * Routes each request by opcode and question type (RFC 1035 4.1.1, RFC 6895 2.2): QUERY for AXFR
 * or IXFR to the transfer handler, other QUERYs to the query handler, UPDATE (RFC 2136) and NOTIFY
 * (RFC 1996) to theirs; any other opcode gets NOTIMP. A message with QR set is a response, not a
 * request, and is never answered (that would let two servers bounce packets forever).
 */
public final class Dispatcher implements Handler {

    private final Handler query;
    private final Handler transfer;
    private final Handler update;
    private final Handler notify;

    public Dispatcher(Handler query, Handler transfer, Handler update, Handler notify) {
        this.query = query;
        this.transfer = transfer;
        this.update = update;
        this.notify = notify;
    }

    /** A handler for a function this server does not offer: NOTIMP (RFC 1035 4.1.1). */
    public static Handler notImplemented() {
        return request -> Promise.resolved(List.of(error(request, Rcode.NOTIMP)));
    }

    @Override
    public Promise<List<Bytes>> handle(Request request) {
        Message m = request.message();
        if (m.header().qr()) {
            return Promise.resolved(List.of());
        }
        return switch (m.header().opcode()) {
            case Header.QUERY -> isTransfer(m) ? transfer.handle(request) : query.handle(request);
            case Header.UPDATE -> update.handle(request);
            case Header.NOTIFY -> notify.handle(request);
            default -> Promise.resolved(List.of(error(request, Rcode.NOTIMP)));
        };
    }

    private static boolean isTransfer(Message m) {
        return m.questions().size() == 1
                && (m.questions().getFirst().qtype() == Type.AXFR || m.questions().getFirst().qtype() == Type.IXFR);
    }

    /** An error response with the question echoed and no records, within the transport's limit. */
    static Bytes error(Request request, Rcode rcode) {
        Message m = request.message();
        return Responder.encode(Responder.error(m, rcode, m.edns().map(e -> Responder.errorEdns())),
                request.maxResponseSize());
    }
}
