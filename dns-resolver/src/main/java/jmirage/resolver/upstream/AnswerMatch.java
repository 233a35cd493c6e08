package jmirage.resolver.upstream;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;

/**
 * The rule by which an answer is accepted for a query (RFC 5452 9.1): it comes from the address and
 * port the query went to, decodes, is a response, carries the query's ID, and repeats the question
 * exactly, the 0x20 case pattern included (draft-vixie-dnsext-dns0x20). Anything else is dropped
 * and counted by the shell: a spoofer's guess, or a late answer to an earlier query. Pure.
 */
public final class AnswerMatch {

    /** Why a datagram was not taken as the answer. */
    public enum Dropped { WRONG_SOURCE, MALFORMED, NOT_A_RESPONSE, WRONG_ID, WRONG_QUESTION, WRONG_CASE }

    private AnswerMatch() {}

    /** The answer in {@code payload}, if it is the answer to {@code query} sent to {@code server}. */
    public static Result<Message, Dropped> check(Endpoint server, Message query, Endpoint source, Bytes payload) {
        if (!source.equals(server)) {
            return Result.err(Dropped.WRONG_SOURCE);
        }
        if (!(MessageCodec.decode(payload) instanceof Result.Ok<Message, DecodeError>(Message answer))) {
            return Result.err(Dropped.MALFORMED);
        }
        return check(query, answer);
    }

    /** The same for a message that came on the query's own connection (TCP, TLS: no source to check). */
    public static Result<Message, Dropped> check(Message query, Message answer) {
        if (!answer.header().qr()) {
            return Result.err(Dropped.NOT_A_RESPONSE);
        }
        if (answer.header().id() != query.header().id()) {
            return Result.err(Dropped.WRONG_ID);
        }
        List<Question> asked = query.questions();
        List<Question> echoed = answer.questions();
        if (!echoed.equals(asked)) {
            return Result.err(Dropped.WRONG_QUESTION);
        }
        for (int i = 0; i < asked.size(); i++) {
            if (!echoed.get(i).name().equalsExact(asked.get(i).name())) {
                return Result.err(Dropped.WRONG_CASE);
            }
        }
        return Result.ok(answer);
    }

    /**
     * {@code name} with the case of each ASCII letter chosen at random (DNS 0x20): an answer must
     * repeat it, which adds a bit per letter to what a spoofer has to guess.
     */
    public static Name randomiseCase(Name name, Random random) {
        List<byte[]> labels = new java.util.ArrayList<>(name.labelCount());
        byte[] bits = new byte[Name.MAX_WIRE];
        random.fill(bits);
        int n = 0;
        for (int i = 0; i < name.labelCount(); i++) {
            byte[] label = name.label(i);
            for (int j = 0; j < label.length; j++) {
                int c = label[j];
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    label[j] = (byte) ((bits[n++ % bits.length] & 1) == 0 ? Character.toLowerCase(c) : Character.toUpperCase(c));
                }
            }
            labels.add(label);
        }
        return Name.ofLabels(labels).orElseThrow(); // same lengths as a valid name: cannot fail
    }
}
