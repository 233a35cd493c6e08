package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.resolver.ScriptedResolve;
import org.junit.jupiter.api.Test;

/** The pure parts of DNS over HTTPS: the freshness of an answer (RFC 8484 5.1) and the GET parameter. */
class DohHandlerTest {

    private static Bytes response(int rcode, List<String> answer, List<String> authority) {
        Message q = Message.query(0, Name.of("www.example.test."), Type.A, Optional.empty());
        Header h = new Header(0, true, Header.QUERY, false, false, true, true, false, false, false, rcode);
        return MessageCodec.encode(new Message(h, q.questions(), ScriptedResolve.records(answer.toArray(String[]::new)),
                ScriptedResolve.records(authority.toArray(String[]::new)), List.of(), Optional.empty()));
    }

    @Test
    void theFreshnessIsTheSmallestAnswerTtlOrTheNegativeTtl() {
        assertEquals(120, DohHandler.freshness(response(Header.NOERROR,
                List.of("www.example.test. 300 IN CNAME web.example.test.", "web.example.test. 120 IN A 192.0.2.1"), List.of())));
        // RFC 2308 5: the negative TTL is the smaller of the SOA's TTL and its MINIMUM
        assertEquals(60, DohHandler.freshness(response(Header.NXDOMAIN, List.of(),
                List.of("example.test. 3600 IN SOA ns. host. 1 2 3 4 60"))));
        assertEquals(30, DohHandler.freshness(response(Header.NOERROR, List.of(),
                List.of("example.test. 30 IN SOA ns. host. 1 2 3 4 60"))));
        assertEquals(0, DohHandler.freshness(response(Header.SERVFAIL, List.of(), List.of())), "an error is not cached");
        assertEquals(0, DohHandler.freshness(Bytes.utf8("no message")));
    }

    @Test
    void theDnsParameterIsFoundAndDecodedWithOrWithoutPadding() {
        assertEquals(Optional.of("AAAB"), DohHandler.parameter("ct=x&dns=AAAB&z", "dns"));
        assertEquals(Optional.empty(), DohHandler.parameter("dnsx=AAAB", "dns"));
        assertEquals(Optional.of(Bytes.of((byte) 0xfb, (byte) 0xff)), DohHandler.base64url("-_8"));
        assertEquals(Optional.of(Bytes.of((byte) 0xfb, (byte) 0xff)), DohHandler.base64url("-_8="));
        assertEquals(Optional.empty(), DohHandler.base64url("+/8"), "not the URL alphabet");
    }
}
