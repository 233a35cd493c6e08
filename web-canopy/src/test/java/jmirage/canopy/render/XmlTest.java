package jmirage.canopy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class XmlTest {

    @Test
    void escapesThePredefinedEntities() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;", Xml.escape("<a href=\"x\">Tom & Jerry's</a>"));
    }

    @Test
    void replacesWhatXmlOneDotZeroCannotHold() {
        assertEquals("a\uFFFDb\uFFFDc\uFFFDd\uFFFD", Xml.escape("a\u0000b\uD800c\uFFFEd\uDC00"));
        assertEquals("tab\tnewline\n\uD83D\uDE00", Xml.escape("tab\tnewline\n\uD83D\uDE00"));
    }

    @Test
    void writesWhiteSpaceAParserWouldChangeAsReferences() {
        assertEquals("a\tb\nc&#13;d", Xml.escape("a\tb\nc\rd"));
        assertEquals("a&#9;b&#10;c&#13;d", Xml.attribute("a\tb\nc\rd"));
    }
}
