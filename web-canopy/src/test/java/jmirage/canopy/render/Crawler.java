package jmirage.canopy.render;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.canopy.content.SiteConfig;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Follows every link of a built site from {@code /} and {@code /robots.txt}, as a search engine's
 * crawler would: href and src attributes of the HTML pages, the feed's links, robots.txt's sitemap,
 * the sitemap's locations. Links to other
 * origins are not followed.
 */
final class Crawler {

    private static final Pattern LINK = Pattern.compile("\\s(?:href|src)=\"([^\"]*)\"");

    /** What a crawl saw: the paths it reached, and each link that led nowhere (from, to). */
    record Crawl(Set<String> reached, List<String> broken) {}

    private Crawler() {}

    static Crawl crawl(Site site, SiteConfig config) {
        Set<String> reached = new LinkedHashSet<>();
        List<String> broken = new ArrayList<>();
        Deque<String[]> queue = new ArrayDeque<>();
        queue.add(new String[] {"(start)", "/"});
        queue.add(new String[] {"(start)", "/robots.txt"});
        while (!queue.isEmpty()) {
            String[] link = queue.poll();
            String path = link[1];
            if (!reached.add(path)) {
                continue;
            }
            Resource resource = switch (site.lookup(path)) {
                case Site.Answer.Found found -> found.resource();
                case Site.Answer.Moved moved -> {
                    internal(config, moved.location(), path).ifPresent(to -> queue.add(new String[] {path, to}));
                    yield null;
                }
                case Site.Answer.NotFound ignored -> {
                    broken.add(link[0] + " -> " + path);
                    yield null;
                }
            };
            if (resource == null) {
                continue;
            }
            for (String href : links(resource)) {
                internal(config, href, path).ifPresent(to -> queue.add(new String[] {path, to}));
            }
        }
        return new Crawl(reached, broken);
    }

    private static List<String> links(Resource resource) {
        List<String> links = new ArrayList<>();
        if (resource.mediaType().startsWith("text/plain")) {
            resource.body().toUtf8().lines().filter(l -> l.startsWith("Sitemap: ")).forEach(l -> links.add(l.substring(9)));
        } else if (resource.mediaType().startsWith("text/html")) {
            Matcher m = LINK.matcher(resource.body().toUtf8());
            while (m.find()) {
                links.add(m.group(1).replace("&amp;", "&"));
            }
        } else if (resource.mediaType().equals(MediaTypes.ATOM) || resource.mediaType().equals(MediaTypes.XML)) {
            var doc = SafeXml.parse(resource.body());
            NodeList atomLinks = doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link");
            for (int i = 0; i < atomLinks.getLength(); i++) {
                links.add(((Element) atomLinks.item(i)).getAttribute("href"));
            }
            NodeList locs = doc.getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "loc");
            for (int i = 0; i < locs.getLength(); i++) {
                links.add(locs.item(i).getTextContent());
            }
        }
        return links;
    }

    /** The path on this site {@code href} names from the page at {@code from} (RFC 3986 5.2), if it is on this site. */
    private static Optional<String> internal(SiteConfig config, String href, String from) {
        URI target = URI.create(config.absolute(from)).resolve(URI.create(href));
        if (!config.origin().equals(target.getScheme() + "://" + target.getRawAuthority())) {
            return Optional.empty();
        }
        return Optional.of(target.getRawPath().isEmpty() ? "/" : target.getRawPath());
    }
}
