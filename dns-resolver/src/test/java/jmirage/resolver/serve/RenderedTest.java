package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import jmirage.core.Bytes;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Responses;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A response copied from one made earlier in the second is byte for byte the one the slow path
 * makes (Answers.response, then Responses.encodeWithin) for any client: any ID, flags, EDNS, DO,
 * size limit (truncation included) and case of the question; across seconds too.
 */
class RenderedTest {

    private static final Name WWW = Name.of("www.example.");
    private static final List<Resolution> RESOLUTIONS = List.of(
            resolution(WWW, 2, Security.SECURE, Optional.empty()),
            resolution(WWW, 40, Security.SECURE, Optional.empty()), // over 512 bytes: TC for small clients
            resolution(Name.of("WwW.Example."), 1, Security.INDETERMINATE, Optional.of(new EdnsOption.ExtendedError(3, ""))));

    private static Resolution resolution(Name name, int addresses, Security security, Optional<EdnsOption.ExtendedError> error) {
        List<Record> answer = new ArrayList<>();
        IntStream.range(0, addresses).forEach(i -> answer.add(new Record(name, DnsClass.IN, 300,
                new Rdata.A((Inet4Address) InetAddress.ofLiteral("192.0.2." + i)))));
        answer.add(new Record(name, DnsClass.IN, 300, new Rdata.Rrsig(Type.A, 13, 2, 300, 2_000_000_000L, 1_000_000_000L,
                4711, Name.of("example."), Bytes.of(new byte[64]))));
        List<Record> authority = List.of(new Record(Name.of("example."), DnsClass.IN, 300,
                new Rdata.Ns(Name.of("ns.example."))));
        return new Resolution(new Question(name, Type.A, DnsClass.IN), Header.NOERROR, answer, authority, List.of(), security,
                error, false);
    }

    /** One query: which resolution answers it, the client's message and limit, and the seconds gone by before it. */
    record Ask(int resolution, Message query, int limit, int secondsLater) {}

    @Provide
    Arbitrary<List<Ask>> asks() {
        Arbitrary<Header> headers = Combinators.combine(Arbitraries.integers().between(0, 65535), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((id, rd, ad, cd) -> new Header(id, false, Header.QUERY, false, false, rd, false, false, ad, cd, 0));
        Arbitrary<Optional<Edns>> edns = Arbitraries.of(Optional.empty(), Optional.of(Edns.of(1232)),
                Optional.of(new Edns(4096, 0, true, 0, List.of())));
        Arbitrary<Name> spellings = Arbitraries.of(WWW, Name.of("WwW.Example."), Name.of("WWW.EXAMPLE."));
        Arbitrary<Ask> ask = Combinators.combine(Arbitraries.integers().between(0, RESOLUTIONS.size() - 1), headers, edns,
                spellings, Arbitraries.of(512, 1232, 65535), Arbitraries.of(0, 0, 0, 1))
                .as((r, h, e, name, limit, later) -> new Ask(r,
                        new Message(h, List.of(new Question(name, Type.A, DnsClass.IN)), List.of(), List.of(), List.of(), e),
                        limit, later));
        return ask.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void copiesAreTheResponsesTheSlowPathMakes(@ForAll("asks") List<Ask> asks) {
        Rendered rendered = new Rendered();
        long now = 5_000_000_000L;
        for (Ask a : asks) {
            now += a.secondsLater() * 1_000_000_000L + 1;
            Resolution r = RESOLUTIONS.get(a.resolution());
            Bytes slow = Responses.encodeWithin(Answers.response(a.query(), r), a.limit());
            Bytes fast = rendered.response(a.query(), r, a.limit(), now);
            assertArrayEquals(slow.toArray(), fast.toArray(), a.toString());
        }
    }
}
