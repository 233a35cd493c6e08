package jmirage.canopy.render;

import static jmirage.canopy.TestRepository.article;

import java.time.Instant;
import jmirage.canopy.TestRepository;
import jmirage.core.Bytes;

/** A small blog as a person would write it: pages, two categories, tags, static files, a redirect, one broken article. */
public final class SampleBlog {

    static final Instant JAN = Instant.parse("2026-01-05T10:00:00Z");
    static final Instant MAR = Instant.parse("2026-03-05T10:00:00Z");
    static final Instant JUN = Instant.parse("2026-06-05T10:00:00Z");
    static final Instant SEP = Instant.parse("2026-09-05T10:00:00Z");
    static final Bytes PNG = Bytes.fromHex("89504e470d0a1a0a0000000d49484452");

    private SampleBlog() {}

    public static TestRepository repository() {
        return TestRepository.configured()
                .file("about.md", article("""
                        We write about [unikernels](https://mirage.io) and **Java**.

                        See the [newest post](/posts/unikernels-in-java), the [notes](/notes) or the
                        [first boot](/posts/old-url) under its old name.
                        """, "title: About", "author: The editors"), JAN, MAR)
                .file("posts/unikernels-in-java.md", article("""
                        # Why

                        A pure core is a function[^1]. Compare:

                        | target | network |
                        |--------|---------|
                        | host   | sockets |
                        | tap    | own MAC |

                        ## The shell

                        It binds the core to devices. <script>alert("not run")</script>
                        Back to the [start](#why).

                        [^1]: State, time and input in; new state and outputs out.
                        """, "title: Unikernels in <Java>", "author: Ada", "author_url: https://ada.example/",
                        "abstract: What a pure core buys & costs.", "tags: java, mirage"), JUN, SEP)
                .file("posts/first-boot.md", article("It booted. ![logo](/static/img/logo.png)",
                        "title: First boot", "author: Ada", "tags: mirage", "date: 2026-02-01"), MAR, MAR)
                .file("notes/tcp-timers.md", article("Retransmission, RFC 6298.",
                        "title: TCP timers", "abstract: Notes.", "tags: net"), MAR, JUN)
                .file("posts/old-url.md", article("", "redirect: /posts/first-boot"), JAN, JAN)
                .file("posts/elsewhere.md", article("", "redirect: https://mirage.io/blog/"), JAN, JAN)
                .file("posts/broken.md", article("", "title: Broken", "date: someday"), JUN, JUN)
                .file("static/img/logo.png", PNG, JAN, JAN)
                .file("static/style.css", "body { color: #222 }\n".repeat(40), JAN, MAR);
    }
}
