package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jmirage.core.Result;
import jmirage.dns.zone.MasterFileAccess;
import org.junit.jupiter.api.Test;

/** Each case of {@link RdataTextError} from a minimal record text, and a caller switching on them. */
class RdataTextErrorTest {

    record Case(int type, List<Token> tokens, RdataTextError expected) {}

    static Case of(int type, String text, RdataTextError expected) {
        return new Case(type, MasterFileAccess.tokens(text), expected);
    }

    static RdataTextError error(int type, List<Token> tokens) {
        return switch (RdataText.parse(type, tokens, Name.of("example."))) {
            case Result.Err<Rdata, RdataTextError>(RdataTextError e) -> e;
            case Result.Ok<Rdata, RdataTextError>(Rdata r) -> throw new AssertionError("parsed as " + r);
        };
    }

    @Test
    void eachCaseComesFromAMinimalText() {
        List<Token> manyStrings = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            manyStrings.add(Token.plain("a".repeat(255)));
        }
        List<Case> cases = List.of(
                of(Type.MX, "10", new RdataTextError.MissingField(Type.MX)),
                of(Type.A, "192.0.2.1 x", new RdataTextError.UnexpectedToken(Type.A, "x")),
                of(Type.MX, "70000 a.", new RdataTextError.BadNumber("70000", 0xffff)),
                of(Type.SOA, "a. b. 1 1x 1 1 1", new RdataTextError.BadTtl("1x")),
                of(Type.RRSIG, "A 8 2 60 2020x 20200101000000 1 a. AAAA", new RdataTextError.BadTime("2020x")),
                of(Type.A, "192.0.2", new RdataTextError.BadIpv4("192.0.2")),
                of(Type.AAAA, "1::2::3", new RdataTextError.BadIpv6("1::2::3")),
                of(Type.NS, "a..", new RdataTextError.BadName(new NameError.EmptyLabel("a.."))),
                new Case(Type.TXT, List.of(Token.plain("ab\\")), new RdataTextError.BadEscape("ab\\")),
                new Case(Type.TXT, List.of(Token.plain("\\256")), new RdataTextError.BadEscape("\\256")),
                of(Type.TXT, "a".repeat(256), new RdataTextError.StringTooLong(256)),
                of(Type.NSEC3PARAM, "1 0 0 " + "ab".repeat(256), new RdataTextError.StringTooLong(256)),
                of(Type.DS, "1 8 2 zz", new RdataTextError.BadHex("zz")),
                of(Type.DNSKEY, "256 3 8 !!", new RdataTextError.BadBase64("!!")),
                of(Type.NSEC3, "1 0 0 - zz A", new RdataTextError.BadBase32Hex("zz")),
                of(Type.NSEC, "a. A BOGUS", new RdataTextError.UnknownType("BOGUS")),
                of(Type.TXT, "", new RdataTextError.EmptyTxt()),
                of(Type.CAA, "0 is-sue \"x\"", new RdataTextError.BadCaaTag("is-sue")),
                new Case(Type.NSEC3, List.of(Token.plain("1"), Token.plain("0"), Token.plain("0"), Token.plain("-"),
                        new Token("", true)), new RdataTextError.EmptyNsec3Hash()),
                of(Type.SVCB, "1 a. foo=1", new RdataTextError.UnknownSvcParamKey("foo")),
                of(Type.SVCB, "1 a. port=1 port=2", new RdataTextError.DuplicateSvcParamKey("port")),
                of(Type.SVCB, "1 a. port", new RdataTextError.SvcParamValue("port", false)),
                of(Type.HTTPS, "1 a. no-default-alpn=x", new RdataTextError.SvcParamValue("no-default-alpn", true)),
                new Case(Type.TXT, manyStrings, new RdataTextError.RdataTooLong(Type.TXT, 300 * 256)),
                of(Type.A, "\\#", new RdataTextError.GenericWithoutLength()),
                of(Type.A, "\\# 4 010203", new RdataTextError.GenericLengthMismatch(4, 3)),
                of(Type.A, "\\# 3 010203",
                        new RdataTextError.GenericNotWire(Type.A, new DecodeError.WrongRdataLength(0, Type.A, 3))),
                of(Type.OPT, "\\# 0", new RdataTextError.NoPresentationForm(Type.OPT)),
                of(65300, "abc", new RdataTextError.NeedsGenericForm(65300)));
        Set<Class<?>> produced = new HashSet<>();
        for (Case c : cases) {
            RdataTextError e = error(c.type(), c.tokens());
            assertEquals(c.expected(), e, Type.name(c.type()) + " " + c.tokens());
            assertTrue(!e.describe().isBlank());
            produced.add(e.getClass());
        }
        assertEquals(Set.of(RdataTextError.class.getPermittedSubclasses()), produced, "a minimal text for every case");
    }

    @Test
    void aCallerSwitchesOnWhatWentWrong() {
        String hint = switch (error(Type.NS, MasterFileAccess.tokens("a..b"))) {
            case RdataTextError.BadName(NameError.EmptyLabel(String name)) -> "empty label in " + name;
            case RdataTextError other -> other.describe();
        };
        assertEquals("empty label in a..b", hint);
        assertEquals("bad number 70000 (0 to 65535)", error(Type.MX, MasterFileAccess.tokens("70000 a.")).describe());
    }
}
