package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.body;
import static jmirage.caldav.security.Attack.ok;
import static jmirage.caldav.security.Attack.refused;
import static jmirage.caldav.security.Attack.request;
import static jmirage.caldav.security.Attack.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XML bodies built to make a parser read files, open connections or expand entities, sent as
 * PROPFIND, PROPPATCH, MKCALENDAR and REPORT bodies: each is refused with 400 (a DOCTYPE of any
 * kind, an undeclared entity) or read as plain elements (XInclude and xml:base mean nothing here),
 * nothing is stored, and no byte of a local file comes back.
 */
class XmlAttacksTest {

    private static final String PROPS = "<D:prop><D:displayname/></D:prop>";
    private final Store store = Attack.store();

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {
            // external entity (XXE)
            "<?xml version=\"1.0\"?><!DOCTYPE D:propfind [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                    + "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>&e;</D:displayname></D:prop></D:propfind>",
            // external DTD
            "<?xml version=\"1.0\"?><!DOCTYPE D:propfind SYSTEM \"http://127.0.0.1:9/x.dtd\"><D:propfind xmlns:D=\"DAV:\">"
                    + "<D:allprop/></D:propfind>",
            // parameter entity
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><D:propfind xmlns:D=\"DAV:\">"
                    + "<D:allprop/></D:propfind>",
            // billion laughs
            "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                    + "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
                    + "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"
                    + "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>&h;</D:displayname></D:prop></D:propfind>",
            // a DOCTYPE that declares nothing
            "<!DOCTYPE D:propfind><D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>",
            // an entity never declared
            "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>&passwd;</D:displayname></D:prop></D:propfind>",
            // not XML at all, and a document cut short
            "{\"propfind\": true}",
            "<D:propfind xmlns:D=\"DAV:\"><D:prop>",
            // an unbound prefix
            "<D:propfind><D:allprop/></D:propfind>",
    })
    void hostileDocumentsAre400(String document) {
        for (String method : new String[] {"PROPFIND", "PROPPATCH", "MKCALENDAR", "REPORT"}) {
            String path = method.equals("MKCALENDAR") ? "/calendars/bob/new/" : "/calendars/bob/personal/";
            DavOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> Attack.CORE.handle(store, xml("bob", method, path, document, "Depth", "0")));
            assertEquals(400, outcome.response().status(), method + ": " + body(outcome));
            assertFalse(body(outcome).contains("root:"), body(outcome));
            assertTrue(outcome.batch().isEmpty());
        }
    }

    @Test
    void xincludeAndXmlBaseAreKeptAsPlainElementsNeverFollowed() {
        String patch = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:xi=\"http://www.w3.org/2001/XInclude\" xml:base=\"file:///etc/\">"
                + "<D:set><D:prop><D:displayname xml:base=\"file:///etc/\"><xi:include href=\"passwd\" parse=\"text\"/></D:displayname>"
                + "</D:prop></D:set></D:propertyupdate>";
        Store next = ok(store, xml("bob", "PROPPATCH", "/calendars/bob/personal/", patch));
        DavOutcome read = Attack.CORE.handle(next, xml("bob", "PROPFIND", "/calendars/bob/personal/",
                "<D:propfind xmlns:D=\"DAV:\">" + PROPS + "</D:propfind>", "Depth", "0"));
        assertEquals(207, read.response().status());
        assertTrue(body(read).contains("include"), body(read));
        assertFalse(body(read).contains("root:"), body(read));
    }

    @Test
    void utf16BodiesAre400AndAUtf8ByteOrderMarkIsRead() {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><D:propfind xmlns:D=\"DAV:\">" + PROPS + "</D:propfind>";
        for (var charset : new java.nio.charset.Charset[] {StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
            refused(store, request("bob", "PROPFIND", "/calendars/bob/personal/", Bytes.of(doc.getBytes(charset)), "Depth", "0"), 400);
        }
        byte[] utf8 = ("\uFEFF<D:propfind xmlns:D=\"DAV:\">" + PROPS + "</D:propfind>").getBytes(StandardCharsets.UTF_8);
        assertEquals(207, Attack.CORE.handle(store, request("bob", "PROPFIND", "/calendars/bob/personal/", Bytes.of(utf8), "Depth", "0"))
                .response().status());
        // a declaration naming another encoding over UTF-8 bytes: read as the UTF-8 it is, or refused; never a 5xx
        int declared = Attack.CORE.handle(store, xml("bob", "PROPFIND", "/calendars/bob/personal/", doc, "Depth", "0")).response().status();
        assertTrue(declared == 207 || declared == 400, "status " + declared);
    }

    @Test
    void invalidUtf8AndControlCharactersAre400() {
        byte[] bad = "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname/></D:prop></D:propfind>".getBytes(StandardCharsets.UTF_8);
        bad[30] = (byte) 0xC0;
        refused(store, request("bob", "PROPFIND", "/calendars/bob/personal/", Bytes.of(bad), "Depth", "0"), 400);
        refused(store, xml("bob", "PROPPATCH", "/calendars/bob/personal/", "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
                + "<D:displayname>\u0001</D:displayname></D:prop></D:set></D:propertyupdate>"), 400);
    }

    @Test
    void attributeValuesCountTowardsTheTextBound() {
        // 4,000,000 characters is XmlReader's bound on text; here all of it is in attributes
        String value = "v".repeat(100_000);
        StringBuilder b = new StringBuilder("<D:propfind xmlns:D=\"DAV:\"><D:prop>");
        for (int i = 0; i < 41; i++) {
            b.append("<D:displayname a=\"").append(value).append("\"/>");
        }
        b.append("</D:prop></D:propfind>");
        DavOutcome outcome = refused(store, xml("bob", "PROPFIND", "/calendars/bob/personal/", b.toString(), "Depth", "0"), 400);
        assertTrue(body(outcome).contains("too many characters"), body(outcome));
    }

    @Test
    void manyAttributesOnOneElementAre400() {
        StringBuilder b = new StringBuilder("<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname");
        for (int i = 0; i < 20_000; i++) {
            b.append(" a").append(i).append("=\"x\"");
        }
        b.append("/></D:prop></D:propfind>");
        DavOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Attack.CORE.handle(store, xml("bob", "PROPFIND", "/calendars/bob/personal/", b.toString(), "Depth", "0")));
        assertTrue(outcome.response().status() == 400 || outcome.response().status() == 207, body(outcome));
    }
}
