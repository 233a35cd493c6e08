package jmirage.caldav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlReaderTest {

    private static Result<Element, XmlError> parse(String xml) {
        return XmlReader.parse(Bytes.utf8(xml));
    }

    private static Element ok(String xml) {
        return switch (parse(xml)) {
            case Result.Ok<Element, XmlError>(Element e) -> e;
            case Result.Err<Element, XmlError>(XmlError e) -> throw new AssertionError(e.describe());
        };
    }

    private static XmlError failure(Result<Element, XmlError> r) {
        return switch (r) {
            case Result.Ok<Element, XmlError>(Element e) -> throw new AssertionError("parsed: " + e);
            case Result.Err<Element, XmlError>(XmlError e) -> e;
        };
    }

    private static XmlError err(String xml) {
        return switch (parse(xml)) {
            case Result.Ok<Element, XmlError>(Element e) -> throw new AssertionError("parsed: " + e);
            case Result.Err<Element, XmlError>(XmlError e) -> e;
        };
    }

    @Test
    void readsAPropfindWithNamespacesAndPrefixes() {
        Element root = ok("""
                <?xml version="1.0" encoding="utf-8" ?>
                <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">
                  <D:prop><D:getetag/><CS:getctag/><C:calendar-data/></D:prop>
                </D:propfind>""");
        assertEquals(DavNames.PROPFIND, root.name());
        Element prop = root.element(DavNames.PROP).orElseThrow();
        assertEquals(java.util.List.of(DavNames.GETETAG, DavNames.GETCTAG, DavNames.CALENDAR_DATA),
                prop.elements().map(Element::name).toList());
    }

    @Test
    void defaultNamespaceAndAttributes() {
        Element root = ok("<filter xmlns='urn:ietf:params:xml:ns:caldav'><comp-filter name='VCALENDAR'/></filter>");
        Element comp = root.element(DavNames.caldav("comp-filter")).orElseThrow();
        assertEquals("VCALENDAR", comp.attribute("name").orElseThrow());
    }

    @Test
    void predefinedEntitiesAndCdataAreText() {
        Element root = ok("<a xmlns='DAV:'>x &amp; y <![CDATA[<b>]]> &#233;</a>");
        assertEquals("x & y <b> \u00e9", root.text());
    }

    @Test
    void externalEntityIsRefusedAndNothingIsRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "TOPSECRET");
        XmlError e = err("<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>"
                + "<a xmlns='DAV:'>&x;</a>");
        assertInstanceOf(XmlError.DoctypeRefused.class, e);
    }

    @Test
    void billionLaughsIsRefusedBeforeExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 'lol'>");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" '");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("'>");
        }
        dtd.append("]>");
        assertInstanceOf(XmlError.DoctypeRefused.class, err(dtd + "<lolz>&lol9;</lolz>"));
    }

    @Test
    void undeclaredEntityIsMalformed() {
        assertInstanceOf(XmlError.Malformed.class, err("<a xmlns='DAV:'>&nbsp;</a>"));
    }

    @Test
    void depthAndSizeAreBounded() {
        String deep = "<a>".repeat(100) + "</a>".repeat(100);
        assertInstanceOf(XmlError.TooLarge.class, err(deep));
        XmlReader.Limits small = new XmlReader.Limits(64, 10, 100);
        assertInstanceOf(XmlError.TooLarge.class,
                failure(XmlReader.parse(Bytes.utf8("<a>" + "<b/>".repeat(20) + "</a>"), small)));
        assertInstanceOf(XmlError.TooLarge.class,
                failure(XmlReader.parse(Bytes.utf8("<a>" + "x".repeat(200) + "</a>"), small)));
    }

    @Test
    void onlyUtf8IsRead() {
        assertInstanceOf(XmlError.Malformed.class, failure(XmlReader.parse(Bytes.of((byte) '<', (byte) 'a', (byte) 0xC3, (byte) '/', (byte) '>'))));
        assertEquals("\u00e9", ok("\uFEFF<a xmlns='DAV:'>\u00e9</a>").text());
    }

    @Test
    void emptyAndBrokenBodies() {
        assertInstanceOf(XmlError.Empty.class, err(""));
        assertInstanceOf(XmlError.Empty.class, err("  \n"));
        assertInstanceOf(XmlError.Malformed.class, err("<a><b></a>"));
        assertInstanceOf(XmlError.Malformed.class, err("not xml"));
        assertInstanceOf(XmlError.Malformed.class, err("<a/><b/>"));
    }

    @Test
    void writerOutputReadsBackTheSameTree() {
        Element tree = Element.of(DavNames.MULTISTATUS,
                Element.of(DavNames.RESPONSE,
                        Element.text(DavNames.HREF, "/calendars/alice/work/a b&c.ics"),
                        Element.of(DavNames.PROPSTAT,
                                Element.of(DavNames.PROP,
                                        Element.text(DavNames.GETETAG, "\"abc\""),
                                        Element.text(DavNames.CALENDAR_COLOR, "#FF0000FF"),
                                        Element.text(new XmlName("urn:x-other", "thing"), "<&>\"'"),
                                        Element.text(DavNames.CALENDAR_DATA, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")),
                                Element.text(DavNames.STATUS, "HTTP/1.1 200 OK"))));
        Element back = XmlReader.parse(XmlWriter.document(tree)).orElseThrow();
        assertEquals(tree, back);
        assertTrue(XmlWriter.document(tree).toUtf8().contains("xmlns:d=\"DAV:\""));
    }
}
