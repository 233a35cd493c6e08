package jmirage.resolver.rpl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.upstream.UpstreamError;

/**
 * The scripted authorities of a replay file, as the resolver's core sees them: an {@link Upstream}
 * that answers at once. The current step decides which ranges are active; a query to address X is
 * answered by the first entry, in file order, of an active range that serves X (its ADDRESS list
 * holds X, or it has none) whose MATCH terms hold for the query. The reply is the entry as written
 * with the query's ID (ADJUST copy_id) and the query's question exactly as sent, 0x20 case included
 * (what any real server echoes, and what {@code StackUpstream} insists on; copy_query says the same).
 * No matching entry, or an entry without copy_id (whose reply a real resolver would drop for its
 * ID), is a timeout, noted in the transcript for whoever debugs the scenario.
 */
public final class ReplayUpstream implements Upstream {

    /** What the authorities were asked and what they said, in order, for failure messages. */
    public record Exchange(int step, Endpoint server, Transport transport, Question question, String outcome) {
        @Override
        public String toString() {
            return "step " + step + " " + transport + " " + server + " " + question.name() + " "
                    + jmirage.dns.Type.name(question.qtype()) + ": " + outcome;
        }
    }

    private final List<RplRange> ranges;
    private final IntSupplier step;
    private final List<Exchange> transcript = new ArrayList<>();

    /** @param step the number of the step being run, read at each query */
    public ReplayUpstream(List<RplRange> ranges, IntSupplier step) {
        this.ranges = List.copyOf(ranges);
        this.step = step;
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport) {
        int now = step.getAsInt();
        Question question = query.questions().isEmpty() ? null : query.questions().getFirst();
        for (RplRange range : ranges) {
            if (!range.activeAt(now) || !range.serves(server.address())) {
                continue;
            }
            for (RplEntry entry : range.entries()) {
                if (!matches(entry, query, transport)) {
                    continue;
                }
                if (!entry.copyId()) {
                    note(now, server, transport, question, "entry of line " + entry.line() + " has no copy_id: dropped");
                    return timeout();
                }
                Message reply = entry.message(query.header().id());
                reply = new Message(reply.header(), query.questions(), reply.answers(), reply.authority(),
                        reply.additional(), reply.edns());
                note(now, server, transport, question, "entry of line " + entry.line() + ", rcode "
                        + reply.header().rcode() + ", " + reply.answers().size() + "/" + reply.authority().size() + "/"
                        + reply.additional().size() + " records");
                return Promise.resolved(Result.ok(reply));
            }
        }
        note(now, server, transport, question, "no scripted answer: timeout");
        return timeout();
    }

    public List<Exchange> transcript() {
        return List.copyOf(transcript);
    }

    private void note(int now, Endpoint server, Transport transport, Question question, String outcome) {
        if (question != null) {
            transcript.add(new Exchange(now, server, transport, question, outcome));
        }
    }

    private static Promise<Result<Message, UpstreamError>> timeout() {
        return Promise.resolved(Result.err(new UpstreamError.TimedOut(0)));
    }

    /** testbound's matching ({@code testpkts.c}) for the terms these files use. */
    static boolean matches(RplEntry entry, Message query, Transport transport) {
        if (query.questions().size() != 1) {
            return false;
        }
        Question asked = query.questions().getFirst();
        Question scripted = entry.question().isEmpty() ? null : entry.question().getFirst();
        for (RplEntry.Match term : entry.match()) {
            boolean holds = switch (term) {
                case OPCODE -> query.header().opcode() == entry.flags().opcode();
                case QTYPE -> scripted != null && scripted.qtype() == asked.qtype();
                case QNAME -> scripted != null && scripted.name().equals(asked.name());
                case SUBDOMAIN -> scripted != null && asked.name().isSubdomainOf(scripted.name());
                case ALL -> scripted != null && scripted.equals(asked) && query.header().rd() == entry.flags().rd()
                        && query.header().cd() == entry.flags().cd()
                        && query.edns().map(e -> e.dnssecOk()).orElse(false) == entry.flags().dnssecOk();
                case TTL -> true; // a term of comparison, not of matching
                case TCP -> transport != Transport.UDP;
                case UDP -> transport == Transport.UDP;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
