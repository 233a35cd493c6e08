package jmirage.canopy.render;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import jmirage.canopy.content.Problem;

/**
 * The whole site as one immutable value: what each URL path serves, the redirects, the 404 page,
 * and the problems met while building it. The shell keeps the current one and swaps in the next
 * (decision 9's shape); answering a request is {@link #lookup}.
 *
 * @param resources by URL path as links write it ({@code /posts/hello}, {@code /tags/caf%C3%A9})
 * @param redirects URL path to the location to send a client to: a path on this site or an http(s) URL
 */
public record Site(Map<String, Resource> resources, Map<String, String> redirects, Resource notFound, List<Problem> problems) {

    /** What to answer for a path. */
    public sealed interface Answer {
        record Found(Resource resource) implements Answer {}

        /** 301 Moved Permanently to {@code location} (RFC 9110 15.4.2). */
        record Moved(String location) implements Answer {}

        /** 404 with this page. */
        record NotFound(Resource page) implements Answer {}
    }

    public Site {
        resources = Map.copyOf(resources);
        redirects = Map.copyOf(redirects);
        Objects.requireNonNull(notFound);
        problems = List.copyOf(problems);
    }

    /** The answer for {@code path}, the request target's path as the client sent it. */
    public Answer lookup(String path) {
        Resource resource = resources.get(path);
        if (resource != null) {
            return new Answer.Found(resource);
        }
        String location = redirects.get(path);
        if (location != null) {
            return new Answer.Moved(location);
        }
        // "/posts/" names the category "/posts": one redirect rather than a second copy of the page
        if (path.length() > 1 && path.endsWith("/") && resources.containsKey(path.substring(0, path.length() - 1))) {
            return new Answer.Moved(path.substring(0, path.length() - 1));
        }
        return new Answer.NotFound(notFound);
    }
}
