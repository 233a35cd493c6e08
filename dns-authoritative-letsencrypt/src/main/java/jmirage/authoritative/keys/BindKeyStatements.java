package jmirage.authoritative.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Result;

/**
 * BIND's {@code key} statements in a keys file, as {@code tsig-keygen NAME} (and {@code ddns-confgen})
 * print them and {@code nsupdate -k} reads them:
 *
 * <pre>
 * key "ops._update.example.org" {
 *     algorithm hmac-sha256;
 *     secret "BASE64";
 * };
 * </pre>
 *
 * so that an operator appends {@code tsig-keygen}'s output to {@code _keys} as it is and gives
 * nsupdate the same file. A statement starts at a line whose first word is {@code key} and ends
 * with its {@code };}; the lines it spans are blanked in {@link Extracted#rest}, so the DNSKEY
 * lines around it keep their numbers. A pure function.
 */
final class BindKeyStatements {

    private BindKeyStatements() {}

    /** One statement: the key's name as written (BIND names are absolute), the algorithm and the base64 secret. */
    record Statement(int line, String name, String algorithm, String secret) {}

    record Extracted(List<Statement> statements, String rest) {}

    /** Why a {@code key} statement is refused; {@code line} is where it starts. */
    record Malformed(int line, String reason) {}

    private static final Pattern START = Pattern.compile("^\\s*key\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATEMENT = Pattern.compile(
            "\\s*key\\s+(\"[^\"]+\"|[^\\s{\"]+)\\s*\\{(.*)}\\s*;\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ALGORITHM = Pattern.compile("(?:^|;)\\s*algorithm\\s+\"?([A-Za-z0-9-]+)\"?\\s*;",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SECRET = Pattern.compile("(?:^|;)\\s*secret\\s+\"([^\"]*)\"\\s*;", Pattern.CASE_INSENSITIVE);

    static Result<Extracted, Malformed> extract(String text) {
        String[] lines = text.split("\n", -1);
        List<Statement> statements = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (!START.matcher(lines[i]).find()) {
                rest.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
                continue;
            }
            int first = i;
            StringBuilder statement = new StringBuilder();
            // the statement runs to the line holding its closing "};" (BIND comments removed first)
            while (true) {
                statement.append(withoutComment(lines[i])).append(' ');
                if (statement.toString().matches("(?s).*}\\s*;\\s*")) {
                    break;
                }
                if (++i == lines.length) {
                    return Result.err(new Malformed(first + 1, "key statement without its closing };"));
                }
            }
            Matcher m = STATEMENT.matcher(statement);
            if (!m.matches()) {
                return Result.err(new Malformed(first + 1, "expected key \"NAME\" { algorithm ALG; secret \"BASE64\"; };"));
            }
            String body = m.group(2).trim();
            Matcher alg = ALGORITHM.matcher(body);
            Matcher secret = SECRET.matcher(body);
            if (!alg.find()) {
                return Result.err(new Malformed(first + 1, "key statement without algorithm"));
            }
            if (!secret.find()) {
                return Result.err(new Malformed(first + 1, "key statement without secret \"BASE64\""));
            }
            statements.add(new Statement(first + 1, m.group(1).replace("\"", ""), alg.group(1), secret.group(1)));
            rest.append("\n".repeat(i - first)).append(i + 1 < lines.length ? "\n" : "");
        }
        return Result.ok(new Extracted(List.copyOf(statements), rest.toString()));
    }

    /** A line without its BIND comment: {@code #} or {@code //} outside quotes (a base64 secret may hold "//"). */
    private static String withoutComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '#' || (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/'))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
