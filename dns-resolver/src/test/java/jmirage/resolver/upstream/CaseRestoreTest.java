package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

class CaseRestoreTest {

    private static final Name SENT = Name.of("wWw.ExAmPlE.cOm.");
    private static final Name ORIGINAL = Name.of("www.example.com.");

    private static String printed(Message m) {
        return String.join("\n", m.answers().stream().map(Record::toString).toList()) + "\n"
                + String.join("\n", m.authority().stream().map(Record::toString).toList());
    }

    @Test
    void namesCompressedAgainstTheQuestionGetTheCallersCaseBack() {
        Message answer = new Message(new Header(1, true, 0, true, false, false, false, false, false, false, 0),
                List.of(new Question(ORIGINAL, Type.A)),
                List.of(Record.in(SENT, 300, new Rdata.Cname(Name.of("alias.ExAmPlE.cOm."))),
                        Record.in(Name.of("alias.ExAmPlE.cOm."), 300, new Rdata.Mx(10, Name.of("Mail.Other.Net.")))),
                List.of(Record.in(Name.of("ExAmPlE.cOm."), 300, new Rdata.Soa(Name.of("ns.ExAmPlE.cOm."), Name.of("Admin.Example.com."),
                        1, 2, 3, 4, 5))),
                List.of(), Optional.empty());
        assertEquals("""
                www.example.com. 300 IN CNAME alias.example.com.
                alias.example.com. 300 IN MX 10 Mail.Other.Net.
                example.com. 300 IN SOA ns.example.com. Admin.Example.com. 1 2 3 4 5""",
                printed(CaseRestore.restore(answer, SENT, ORIGINAL)));
    }

    @Test
    void onlyASuffixIdenticalToTheSentOneIsRewritten() {
        assertEquals("x.Example.com.", CaseRestore.name(Name.of("x.Example.com."), SENT, ORIGINAL).toString());
        assertEquals("x.Ab.example.com.", CaseRestore.name(Name.of("x.Ab.ExAmPlE.cOm."), SENT, ORIGINAL).toString());
        assertEquals(".", CaseRestore.name(Name.ROOT, SENT, ORIGINAL).toString());
    }
}
