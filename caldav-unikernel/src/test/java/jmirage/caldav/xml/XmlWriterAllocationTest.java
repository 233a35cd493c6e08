package jmirage.caldav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;

/**
 * A PROPFIND of a 10,000-event calendar answers a multistatus of about 3 MB. Writing it once cost
 * 25 MB of allocation (a growing StringBuilder, its String, the String's UTF-8 copy, a qualified
 * name per tag); garbage of that size per request filled the young generation and pushed the heap's
 * old generation up under a client's sync. The writer now allocates its chunks and one array of the
 * document's size: at most two and a half times the document, measured here by the JVM's count of
 * the bytes this thread allocated.
 */
class XmlWriterAllocationTest {

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aMultistatusOfTenThousandResponsesCostsAtMostTwoAndAHalfTimesItsSize() {
        List<Element> responses = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            responses.add(Element.of(DavNames.RESPONSE,
                    Element.text(DavNames.HREF, "/calendars/bench/work/" + UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}) + ".ics"),
                    Element.of(DavNames.PROPSTAT,
                            Element.of(DavNames.PROP, Element.of(DavNames.RESOURCETYPE),
                                    Element.text(DavNames.GETETAG, "\"" + Integer.toHexString(i * 7919) + "-" + i + "\""),
                                    Element.text(DavNames.GETCONTENTTYPE, "text/calendar; charset=utf-8; component=vevent")),
                            Element.text(DavNames.STATUS, "HTTP/1.1 200 OK"))));
        }
        Element multistatus = Element.of(DavNames.MULTISTATUS, responses);
        long least = Long.MAX_VALUE;
        Bytes written = Bytes.EMPTY;
        for (int round = 0; round < 3; round++) {
            long before = allocatedByThisThread();
            written = XmlWriter.document(multistatus);
            least = Math.min(least, allocatedByThisThread() - before);
        }
        assertEquals(multistatus, XmlReader.parse(written).orElseThrow());
        long size = written.size();
        assertTrue(size > 2_000_000, "the document: " + size + " bytes");
        assertTrue(least <= size * 5 / 2, least + " bytes allocated to write " + size);
    }
}
