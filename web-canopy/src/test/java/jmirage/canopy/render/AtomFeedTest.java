package jmirage.canopy.render;

import static jmirage.canopy.TestRepository.article;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.canopy.TestRepository;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The feed against RFC 4287's rules, read back with an XML parser. */
class AtomFeedTest {

    static final String ATOM = "http://www.w3.org/2005/Atom";

    static Document feed(Site site) {
        Resource feed = site.resources().get("/atom");
        assertEquals("application/atom+xml", feed.mediaType());
        return SafeXml.parse(feed.body());
    }

    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ATOM.equals(e.getNamespaceURI()) && e.getLocalName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertEquals(1, found.size(), name + " in " + parent.getLocalName());
        return found.getFirst().getTextContent();
    }

    @Test
    void theFeedHasItsRequiredElementsOnce() {
        Element feed = feed(SiteBuilder.build(SampleBlog.repository().snapshot())).getDocumentElement();
        assertEquals(ATOM, feed.getNamespaceURI());
        assertEquals("feed", feed.getLocalName());
        // RFC 4287 4.1.1
        assertEquals("urn:uuid:1b4e28ba-2d11-4a5c-9f52-1f6c2a0b7e3d", text(feed, "id"));
        assertEquals("Mirage notes", text(feed, "title"));
        assertEquals("2026-09-05T10:00:00Z", text(feed, "updated"));
        assertEquals("Mirage notes", text(children(feed, "author").getFirst(), "name"));
        Element self = children(feed, "link").stream().filter(l -> l.getAttribute("rel").equals("self")).findFirst().orElseThrow();
        assertEquals("https://blog.example/atom", self.getAttribute("href"));
    }

    @Test
    void eachEntryHasIdTitleUpdatedPublishedLinkAuthorAndSummary() {
        Element feed = feed(SiteBuilder.build(SampleBlog.repository().snapshot())).getDocumentElement();
        List<Element> entries = children(feed, "entry");
        assertEquals(List.of("https://blog.example/posts/unikernels-in-java", "https://blog.example/notes/tcp-timers",
                "https://blog.example/posts/first-boot"), entries.stream().map(e -> text(e, "id")).toList());
        Element first = entries.getFirst();
        // RFC 4287 4.1.2; the title keeps its "<" as text, the summary its "&"
        assertEquals("Unikernels in <Java>", text(first, "title"));
        assertEquals("2026-09-05T10:00:00Z", text(first, "updated"));
        assertEquals("2026-06-05T10:00:00Z", text(first, "published"));
        assertEquals("What a pure core buys & costs.", text(first, "summary"));
        Element author = children(first, "author").getFirst();
        assertEquals("Ada", text(author, "name"));
        assertEquals("https://ada.example/", text(author, "uri"));
        Element alternate = children(first, "link").getFirst();
        assertEquals("alternate", alternate.getAttribute("rel"));
        assertEquals("https://blog.example/posts/unikernels-in-java", alternate.getAttribute("href"));
        assertEquals(List.of("java", "mirage"), children(first, "category").stream().map(c -> c.getAttribute("term")).toList());
        Element content = children(first, "content").getFirst();
        assertEquals("html", content.getAttribute("type"));
        assertTrue(content.getTextContent().contains("<td>tap</td>"), content.getTextContent());
    }

    @Test
    void carriesTheTwentyNewestArticlesOnly() {
        TestRepository repo = TestRepository.configured();
        for (int day = 1; day <= 25; day++) {
            Instant when = Instant.parse("2026-03-%02dT08:00:00Z".formatted(day));
            repo.file("posts/day-%02d.md".formatted(day), article("Day " + day, "title: Day " + day), when, when);
        }
        NodeList entries = feed(SiteBuilder.build(repo.snapshot())).getElementsByTagNameNS(ATOM, "entry");
        assertEquals(20, entries.getLength());
        assertEquals("https://blog.example/posts/day-25", text((Element) entries.item(0), "id"));
        assertEquals("https://blog.example/posts/day-06", text((Element) entries.item(19), "id"));
    }

    @Test
    void charactersXmlCannotHoldAreReplacedSoTheFeedStaysWellFormed() {
        Site site = SiteBuilder.build(TestRepository.configured()
                .file("posts/odd.md", article("Body \u0001 here", "title: Bell \u0007 and ]]> and \uFFFF", "abstract: a\u0000b")).snapshot());
        Element entry = children(feed(site).getDocumentElement(), "entry").getFirst();
        assertEquals("Bell \uFFFD and ]]> and \uFFFD", text(entry, "title"));
        assertEquals("a\uFFFDb", text(entry, "summary"));
    }
}
