package jmirage.canopy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.testkit.Ran;

/**
 * curl against a served site, and a crawler over it: from {@code /} and {@code /robots.txt}, every
 * href and src of the pages, the feed's links, robots.txt's sitemap and the sitemap's locations,
 * each fetched over the network. {@code run} runs curl with the arguments (on the host, or in a
 * network namespace).
 */
record Curl(Function<List<String>, Ran> run, List<String> common, String base, String origin) {

    /** One answer: the status line's code, the header fields (names lower-cased) and the body. */
    record Answer(int status, Map<String, String> headers, String body) {}

    private static final Pattern LINK = Pattern.compile("\\s(?:href|src)=\"([^\"]*)\"");
    private static final Pattern LOC = Pattern.compile("<loc>([^<]*)</loc>");

    /** What a crawl saw: the paths it fetched, and each link that led to a 404 (from, to). */
    record Crawl(Set<String> reached, List<String> broken) {}

    Answer fetch(String path, String... args) {
        // -I (HEAD) prints the header itself; -D - prints it before the body otherwise
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        if (!List.of(args).contains("-I")) {
            argv.addAll(List.of("-D", "-"));
        }
        argv.addAll(common);
        argv.addAll(List.of(args));
        argv.add(base + path);
        Ran ran = run.apply(argv).ok();
        String out = ran.out();
        int end = out.indexOf("\r\n\r\n");
        String[] head = out.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), head[i].substring(colon + 1).strip());
        }
        return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, out.substring(end + 4));
    }

    Crawl crawl() {
        Set<String> reached = new LinkedHashSet<>();
        List<String> broken = new ArrayList<>();
        List<String[]> queue = new ArrayList<>(List.of(new String[] {"(start)", "/"}, new String[] {"(start)", "/robots.txt"}));
        while (!queue.isEmpty()) {
            String[] link = queue.removeFirst();
            String path = link[1];
            if (!reached.add(path)) {
                continue;
            }
            Answer answer = fetch(path);
            if (answer.status() == 301) {
                internal(answer.headers().get("location")).ifPresent(to -> queue.add(new String[] {path, to}));
                continue;
            }
            if (answer.status() != 200) {
                broken.add(link[0] + " -> " + path + " (" + answer.status() + ")");
                continue;
            }
            List<String> links = new ArrayList<>();
            answer.body().lines().filter(l -> l.startsWith("Sitemap: ")).forEach(l -> links.add(l.substring(9)));
            for (Pattern p : List.of(LINK, LOC)) {
                Matcher m = p.matcher(answer.body());
                while (m.find()) {
                    links.add(m.group(1).replace("&amp;", "&"));
                }
            }
            links.forEach(href -> internal(href).ifPresent(to -> queue.add(new String[] {path, to})));
        }
        return new Crawl(reached, broken);
    }

    /** The site path {@code href} names, if it is on this site (a path, or an absolute URL of its origin); fragments dropped. */
    private java.util.Optional<String> internal(String href) {
        String h = href.contains("#") ? href.substring(0, href.indexOf('#')) : href;
        if (h.startsWith(origin + "/")) {
            h = h.substring(origin.length());
        } else if (h.equals(origin)) {
            h = "/";
        }
        return h.startsWith("/") && !h.startsWith("//") ? java.util.Optional.of(h) : java.util.Optional.empty();
    }
}
