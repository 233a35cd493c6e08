package jmirage.authoritative.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import jmirage.dns.Name;
import org.junit.jupiter.api.Test;

/** The root zone lives in the file {@code _root}, since no Kv key can be "."; other {@code _} files stay ignored. */
class StoreFileTest {

    static final String ROOT_ZONE = """
            . 86400 IN SOA a.root-servers. hostmaster. 1 7200 900 1209600 300
            . 86400 IN NS a.root-servers.
            a.root-servers. 86400 IN A 192.0.2.1
            """;

    @Test
    void theRootZoneIsReadFromUnderscoreRootAndWrittenThere() {
        StoreFile.ZoneFile f = assertInstanceOf(StoreFile.ZoneFile.class, StoreFile.read("_root", ROOT_ZONE));
        assertEquals(Name.ROOT, f.zone().origin());
        assertEquals("_root", ZoneStore.fileName(Name.ROOT));
        assertEquals("example.org", ZoneStore.fileName(Name.of("example.org.")));
        assertInstanceOf(StoreFile.Other.class, StoreFile.read("_rooted", ROOT_ZONE));
    }
}
