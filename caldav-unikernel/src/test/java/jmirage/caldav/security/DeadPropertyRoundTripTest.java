package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.ok;
import static jmirage.caldav.security.Attack.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.PropertiesFile;
import jmirage.caldav.store.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dead properties a client may send to confuse the properties file: names in no namespace, in the
 * store's own namespace, in the XML namespace, text that looks like markup, attributes in other
 * namespaces. Whatever PROPPATCH accepts is written to .collection.xml and read back the same, so
 * a reload neither loses nor changes it, and the store's own fields stay its own.
 */
class DeadPropertyRoundTripTest {

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {
            "<plain xmlns=\"\">no namespace</plain>",
            "<S:components xmlns:S=\"http://jmirage.org/ns/caldav-store\">VTODO</S:components>",
            "<S:collection xmlns:S=\"http://jmirage.org/ns/caldav-store\" created=\"1970-01-01T00:00:00Z\"><S:components>VJOURNAL</S:components></S:collection>",
            "<X:p xmlns:X=\"urn:x\">&lt;/x0:properties&gt;&lt;x0:components&gt;VTODO&lt;/x0:components&gt; ]]&gt; &amp;amp;</X:p>",
            "<X:p xmlns:X=\"urn:x\" xmlns:Y=\"urn:y\" Y:a=\"&quot;'&lt;&gt;&amp;\" xml:lang=\"fr\">t</X:p>",
            "<X:p xmlns:X=\"urn:a&quot;b\">quote in the namespace</X:p>",
            "<D:displayname xmlns:D=\"DAV:\"><![CDATA[<b>cdata</b>]]></D:displayname>",
            "<X:p xmlns:X=\"urn:x\"><X:q><X:r><X:s>deep</X:s></X:r></X:q></X:p>",
    })
    void aDeadPropertyComesBackAsItWasSent(String property) {
        Store store = Attack.store();
        Store next = ok(store, xml("bob", "PROPPATCH", "/calendars/bob/personal/", "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
                + property + "</D:prop></D:set></D:propertyupdate>"));
        Collection calendar = next.calendar("bob", "personal").orElseThrow();
        PropertiesFile.Properties read = PropertiesFile.decode(Layout.properties("bob", "personal"),
                Layout.encodeProperties(calendar)).orElseThrow();
        assertEquals(calendar.deadProperties(), read.deadProperties());
        assertEquals(calendar.components(), read.components());
    }
}
