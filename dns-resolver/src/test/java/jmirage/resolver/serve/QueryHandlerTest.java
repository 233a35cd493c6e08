package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.server.Responses;
import jmirage.dns.server.SourceLog;
import jmirage.resolver.ScriptedResolve;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** The serving layer's rules, one by one, over a scripted core. */
class QueryHandlerTest {

    private static final Endpoint LOOPBACK = new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 40000);
    private static final Endpoint LAN = new Endpoint(InetAddress.ofLiteral("192.0.2.7"), 40000);
    private static final Endpoint US = new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 53);

    private final Simulation sim = new Simulation(7, Instant.parse("2027-01-01T00:00:00Z"));
    private final Metrics metrics = new Metrics();
    private final ResolverMetrics stats = new ResolverMetrics(metrics);
    private final ScriptedResolve core = ScriptedResolve.example()
            .answer("signed.example.test.", Type.TXT, new Resolution(new Question(Name.of("signed.example.test."), Type.TXT),
                    Header.NOERROR,
                    ScriptedResolve.records("signed.example.test. 60 IN TXT \"x\"",
                            "signed.example.test. 60 IN RRSIG TXT 13 3 60 20300101000000 20200101000000 1 example.test. c2ln"),
                    ScriptedResolve.records("a.example.test. 60 IN NSEC c.example.test. A RRSIG NSEC",
                            "a.example.test. 60 IN RRSIG NSEC 13 3 60 20300101000000 20200101000000 1 example.test. c2ln"),
                    List.of(), Security.SECURE, Optional.empty(), false));

    private QueryHandler handler(List<IpPrefix> allowed, int rate) {
        return new QueryHandler(core, AccessControl.loopbackAnd(allowed), rate, sim.clock(), stats,
                new SourceLog(sim.log("access", LogLevel.INFO), 60_000_000_000L), 4711, LocalPolicy.NONE);
    }

    private static Message query(String name, int type, Optional<Edns> edns) {
        return Message.query(4242, Name.of(name), type, edns);
    }

    private static Message withHeader(Message m, Header h) {
        return new Message(h, m.questions(), m.answers(), m.authority(), m.additional(), m.edns());
    }

    private static Edns edns(boolean dnssecOk) {
        return new Edns(1232, 0, dnssecOk, 0, List.of());
    }

    private List<Bytes> ask(QueryHandler h, Message query, Endpoint from, Request.Transport transport) {
        Bytes wire = MessageCodec.encode(query);
        int limit = transport == Request.Transport.UDP ? Responses.udpLimit(query) : 65535;
        return sim.await(h.handle(new Request(query, wire, from, US, transport, limit, sim.clock().now())));
    }

    private Message one(QueryHandler h, Message query, Endpoint from, Request.Transport transport) {
        List<Bytes> answers = ask(h, query, from, transport);
        assertEquals(1, answers.size());
        return MessageCodec.decode(answers.getFirst()).orElseThrow();
    }

    private Message one(Message query) {
        return one(handler(List.of(), 0), query, LOOPBACK, Request.Transport.UDP);
    }

    private static Optional<EdnsOption.ExtendedError> ede(Message m) {
        return m.edns().flatMap(e -> e.options().stream().filter(o -> o instanceof EdnsOption.ExtendedError)
                .map(o -> (EdnsOption.ExtendedError) o).findFirst());
    }

    @Test
    void anAnswerHasRaTheQuestionAsTheClientSpelledItAndTheRecords() {
        Message q = query("WwW.eXaMpLe.TeSt.", Type.A, Optional.empty());
        Message r = one(q);
        assertEquals(4242, r.header().id());
        assertTrue(r.header().qr() && r.header().ra() && r.header().rd() && !r.header().aa());
        assertEquals(Header.NOERROR, r.header().rcode());
        assertTrue(r.questions().getFirst().name().equalsExact(Name.of("WwW.eXaMpLe.TeSt.")), r.questions().toString());
        assertEquals(List.<Rdata>of(new Rdata.A((java.net.Inet4Address) InetAddress.ofLiteral("192.0.2.80"))),
                r.answers().stream().map(Record::rdata).toList(), "the RRSIG is not for a client without DO");
        assertTrue(r.edns().isEmpty(), "no EDNS in, no EDNS out (RFC 6891 7)");
    }

    @Test
    void aClientOutsideTheAllowedPrefixesIsRefusedWithProhibitedAndTheCoreIsNotAsked() {
        Message r = one(handler(List.of(), 0), query("www.example.test.", Type.A, Optional.of(edns(false))), LAN, Request.Transport.UDP);
        assertEquals(Header.REFUSED, r.header().rcode());
        assertFalse(r.header().ra(), "no recursion for this client");
        assertEquals(Optional.of(Answers.EDE_PROHIBITED), ede(r).map(EdnsOption.ExtendedError::infoCode));
        assertTrue(core.calls.isEmpty());
        assertEquals(1, metrics.counter("jmirage_resolver_refused_total", "", "reason").labels("access").value());

        Message allowed = one(handler(List.of(IpPrefix.parse("192.0.2.0/24").orElseThrow()), 0),
                query("www.example.test.", Type.A, Optional.empty()), LAN, Request.Transport.TCP);
        assertEquals(Header.NOERROR, allowed.header().rcode());
        assertTrue(allowed.header().ra());
    }

    @Test
    void adOnlyForSecureDataAndAClientThatSetAdOrDo() {
        Message plain = query("www.example.test.", Type.A, Optional.empty());
        assertFalse(one(plain).header().ad(), "neither AD nor DO");
        Header h = plain.header();
        Message adSet = withHeader(plain, new Header(h.id(), false, h.opcode(), false, false, true, false, false, true, false, 0));
        assertTrue(one(adSet).header().ad(), "AD in the query (RFC 6840 5.7)");
        assertTrue(one(query("www.example.test.", Type.A, Optional.of(edns(true)))).header().ad(), "DO (RFC 6840 5.8)");
        assertFalse(one(query("www.example.test.", Type.AAAA, Optional.of(edns(true)))).header().ad(), "insecure data");
    }

    @Test
    void dnssecRecordsGoOnlyToDoClientsButAnExplicitQuestionForThem() {
        Message noDo = one(query("signed.example.test.", Type.TXT, Optional.of(edns(false))));
        assertEquals(List.of(Type.TXT), noDo.answers().stream().map(Record::type).toList());
        assertTrue(noDo.authority().isEmpty(), noDo.authority().toString());
        assertFalse(noDo.edns().orElseThrow().dnssecOk());

        Message withDo = one(query("signed.example.test.", Type.TXT, Optional.of(edns(true))));
        assertEquals(List.of(Type.TXT, Type.RRSIG), withDo.answers().stream().map(Record::type).toList());
        assertEquals(List.of(Type.NSEC, Type.RRSIG), withDo.authority().stream().map(Record::type).toList());
        assertTrue(withDo.edns().orElseThrow().dnssecOk(), "DO echoed (RFC 3225 3)");

        core.answer("signed.example.test.", Type.RRSIG, Security.INSECURE,
                "signed.example.test. 60 IN RRSIG TXT 13 3 60 20300101000000 20200101000000 1 example.test. c2ln");
        Message asked = one(query("signed.example.test.", Type.RRSIG, Optional.empty()));
        assertEquals(List.of(Type.RRSIG), asked.answers().stream().map(Record::type).toList(), "RFC 4035 3.2.1: asked for");
    }

    @Test
    void theCdBitReachesTheCoreAndIsCopied() {
        Message plain = query("www.example.test.", Type.A, Optional.empty());
        Header h = plain.header();
        Message cd = withHeader(plain, new Header(h.id(), false, h.opcode(), false, false, true, false, false, false, true, 0));
        assertTrue(one(cd).header().cd());
        one(plain);
        assertEquals(List.of(true, false), core.calls.stream().map(ScriptedResolve.Call::checkingDisabled).toList());
    }

    @Test
    void aFailedResolutionIsServfailWithItsExtendedErrorForEdnsClients() {
        Message withEdns = one(query("bogus.example.test.", Type.A, Optional.of(edns(true))));
        assertEquals(Header.SERVFAIL, withEdns.header().rcode());
        assertEquals(Optional.of(new EdnsOption.ExtendedError(6, "signature of bogus.example.test. A does not verify")), ede(withEdns));
        Message without = one(query("bogus.example.test.", Type.A, Optional.empty()));
        assertEquals(Header.SERVFAIL, without.header().rcode());
        assertTrue(without.edns().isEmpty());
        assertEquals(2, metrics.counter("jmirage_resolver_validation_failures_total", "", "ede").labels("6").value());
    }

    @Test
    void aLargeAnswerOverUdpIsTruncatedAndWholeOverTcp() {
        Message q = query("long.example.test.", Type.TXT, Optional.empty());
        Message udp = one(q);
        assertTrue(udp.header().tc());
        assertTrue(udp.answers().isEmpty(), "no part of an RRset");
        assertEquals(1, udp.questions().size());
        Message tcp = one(handler(List.of(), 0), q, LOOPBACK, Request.Transport.TCP);
        assertFalse(tcp.header().tc());
        assertEquals(40, tcp.answers().size());
    }

    @Test
    void anUpdateFromAnAllowedClientGoesToTheUpdatesAndOtherwiseIsRefusedOrNotImplemented() {
        Message update = withHeader(query("retreat.lan.", Type.SOA, Optional.empty()),
                new Header(77, false, Header.UPDATE, false, false, false, false, false, false, false, Header.NOERROR));
        Bytes taken = Bytes.utf8("taken by the updates");
        List<Request> seen = new java.util.ArrayList<>();
        QueryHandler withUpdates = new QueryHandler(core, AccessControl.loopbackAnd(List.of()), 0, sim.clock(), stats,
                new SourceLog(sim.log("access", LogLevel.INFO), 60_000_000_000L), 4711, new LocalPolicy() {
                    @Override
                    public Optional<Resolution> localAnswer(Question question) {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<jmirage.core.Promise<List<Bytes>>> update(Request request) {
                        seen.add(request);
                        return Optional.of(jmirage.core.Promise.resolved(List.of(taken)));
                    }
                });
        assertEquals(List.of(taken), ask(withUpdates, update, LOOPBACK, Request.Transport.UDP));
        assertEquals(1, seen.size());
        assertEquals(Header.REFUSED, one(withUpdates, update, LAN, Request.Transport.UDP).header().rcode(),
                "a client outside --allow is refused before the updates see it");
        assertEquals(1, seen.size());
        assertEquals(Header.NOTIMP, one(update).header().rcode(), "no updates taken: NOTIMP (RFC 1035 4.1.1)");
    }

    @Test
    void aQueryWithRdClearIsAnsweredFromLocalDataOnlyAndNeverResolved() {
        Question printer = new Question(Name.of("printer.retreat.lan."), Type.A);
        Resolution local = new Resolution(printer, Header.NOERROR, ScriptedResolve.records("printer.retreat.lan. 300 IN A 10.77.0.42"),
                List.of(), List.of(), Security.INDETERMINATE, Optional.empty(), false, true);
        QueryHandler withLocal = new QueryHandler(core, AccessControl.loopbackAnd(List.of()), 0, sim.clock(), stats,
                new SourceLog(sim.log("access", LogLevel.INFO), 60_000_000_000L), 4711, new LocalPolicy() {
                    @Override
                    public Optional<Resolution> localAnswer(Question question) {
                        return question.equals(printer) ? Optional.of(local) : Optional.empty();
                    }

                    @Override
                    public Optional<jmirage.core.Promise<List<Bytes>>> update(Request request) {
                        return Optional.empty();
                    }
                });
        Header norec = new Header(9, false, Header.QUERY, false, false, false, false, false, false, false, 0);
        Message mine = one(withLocal, withHeader(query("printer.retreat.lan.", Type.A, Optional.empty()), norec), LOOPBACK,
                Request.Transport.UDP);
        assertEquals(Header.NOERROR, mine.header().rcode());
        assertTrue(mine.header().aa() && !mine.header().rd(), mine.header().toString());
        assertEquals(1, mine.answers().size());
        Message other = one(withLocal, withHeader(query("www.example.test.", Type.A, Optional.empty()), norec), LOOPBACK,
                Request.Transport.UDP);
        assertEquals(Header.REFUSED, other.header().rcode(), "not local data: no cache snooping, no recursion");
        assertTrue(core.calls.isEmpty(), "the core was never asked: " + core.calls);
    }

    @Test
    void whatCannotBeResolvedIsAnsweredBeforeTheCore() {
        Message q = query("www.example.test.", Type.A, Optional.empty());
        Header h = q.header();
        Message notify = withHeader(q, new Header(h.id(), false, Header.NOTIFY, false, false, true, false, false, false, false, 0));
        assertEquals(Header.NOTIMP, one(notify).header().rcode());
        Message norec = withHeader(q, new Header(h.id(), false, Header.QUERY, false, false, false, false, false, false, false, 0));
        assertEquals(Header.REFUSED, one(norec).header().rcode());
        assertEquals(Header.REFUSED, one(query("example.test.", Type.AXFR, Optional.empty())).header().rcode());
        Message chaos = new Message(h, List.of(new Question(Name.of("version.bind."), Type.TXT, DnsClass.CH)), List.of(), List.of(),
                List.of(), Optional.empty());
        assertEquals(Header.REFUSED, one(chaos).header().rcode());
        Message two = new Message(h, List.of(new Question(Name.of("a.test."), Type.A), new Question(Name.of("b.test."), Type.A)),
                List.of(), List.of(), List.of(), Optional.empty());
        Message formerr = one(two);
        assertEquals(Header.FORMERR, formerr.header().rcode());
        assertTrue(formerr.questions().isEmpty());
        Message v1 = one(query("www.example.test.", Type.A, Optional.of(new Edns(1232, 1, false, 0, List.of()))));
        assertEquals(Header.BADVERS, v1.header().rcode());
        assertEquals(0, v1.edns().orElseThrow().version());
        assertTrue(core.calls.isEmpty(), "the core was never asked: " + core.calls);
    }

    @Test
    void aClientOverItsRateIsDroppedOrSlippedOverUdpAndRefusedOverTcp() {
        QueryHandler limited = handler(List.of(), 2);
        Message q = query("www.example.test.", Type.A, Optional.empty());
        assertEquals(1, ask(limited, q, LOOPBACK, Request.Transport.UDP).size());
        assertEquals(1, ask(limited, q, LOOPBACK, Request.Transport.UDP).size());
        assertEquals(List.of(), ask(limited, q, LOOPBACK, Request.Transport.UDP), "dropped");
        Message slipped = one(limited, q, LOOPBACK, Request.Transport.UDP);
        assertTrue(slipped.header().tc() && slipped.answers().isEmpty(), "every second one limited gets TC");
        assertEquals(Header.REFUSED, one(limited, q, LOOPBACK, Request.Transport.TLS).header().rcode());
        // another client is not limited by this one
        assertEquals(Header.NOERROR, one(limited, q, new Endpoint(InetAddress.ofLiteral("127.0.0.2"), 1), Request.Transport.UDP)
                .header().rcode());
        assertEquals(3, metrics.counter("jmirage_resolver_refused_total", "", "reason").labels("rate_limit").value());
    }
}
