package jmirage.pinata;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Pem;

/** The public page: rules, address, CA certificate and live statistics, as HTML (pure). */
final class Page {

    private Page() {}

    static String render(String btcAddress, Certificate ca, Stats stats, Instant bootedAt, Instant now, boolean testMode) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>BTC Pinata</title></head><body>\n");
        b.append("<h1>BTC Pinata</h1>\n");
        if (testMode) {
            b.append("<p><strong>TEST MODE</strong>: the CA below is the published test CA; its key is public, ")
                    .append("so anyone can get this secret. There is no bounty here.</p>\n");
        }
        b.append("<p>This unikernel holds the private key of a bitcoin address: ")
                .append(btcAddress.isEmpty() ? "<em>(no address configured)</em>" : "<code>" + escape(btcAddress) + "</code>")
                .append(". It gives it to anyone who proves a certificate signed by the CA below. ")
                .append("Break the TLS stack or its certificate validation and it is yours.</p>\n");
        b.append("<h2>Rules</h2>\n<ul>\n")
                .append("<li>Port 10000: a TLS server that requires a client certificate signed by the CA; ")
                .append("with one, it sends the secret and hangs up.</li>\n")
                .append("<li>Port 10001: accepts TCP and closes it, then connects to your port 40001 as a TLS client, ")
                .append("presents its client certificate, requires your server certificate to chain to the CA, ")
                .append("and sends the secret.</li>\n")
                .append("<li>Port 10002: accepts TCP and plays TLS client over that connection, with the same requirement.</li>\n")
                .append("</ul>\n<p>TLS 1.3 and 1.2 only; certificates are checked with RFC 5280 path validation.</p>\n");
        b.append("<h2>Statistics</h2>\n<p>Up since ").append(escape(bootedAt.toString()))
                .append("; counters survive restarts. Now ").append(escape(now.toString())).append(".</p>\n");
        b.append("<table border=\"1\"><tr><th>port</th><th>connections</th><th>secret sent</th><th>failures</th></tr>\n");
        for (Role role : Role.values()) {
            b.append("<tr><td>").append(role.port()).append(" (").append(escape(role.description())).append(")</td><td>")
                    .append(stats.connections(role.port())).append("</td><td>").append(stats.successes(role))
                    .append("</td><td>").append(stats.failures(role)).append("</td></tr>\n");
        }
        b.append("</table>\n<h3>Failures by reason</h3>\n<table border=\"1\"><tr><th>port</th><th>reason</th><th>count</th></tr>\n");
        for (Map.Entry<Role, SortedMap<String, Long>> e : stats.failures().entrySet()) {
            for (Map.Entry<String, Long> r : e.getValue().entrySet()) {
                b.append("<tr><td>").append(e.getKey().port()).append("</td><td>").append(escape(r.getKey()))
                        .append("</td><td>").append(r.getValue()).append("</td></tr>\n");
            }
        }
        b.append("</table>\n<h2>CA certificate</h2>\n<p>Also at <a href=\"/ca.pem\">/ca.pem</a>; statistics as text at ")
                .append("<a href=\"/stats\">/stats</a>.</p>\n<pre>")
                .append(escape(Pem.certificates(java.util.List.of(ca)))).append("</pre>\n</body></html>\n");
        return b.toString();
    }

    /** HTML text escaping (the five characters of the HTML spec's escaping rules). */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
