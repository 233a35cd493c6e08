package jmirage.openvpn.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;

/**
 * Splits a configuration file into directives as OpenVPN 2.6 reads it (options.c read_config_file,
 * parse_line, check_inline_file): one directive a line; {@code #} or {@code ;} where a parameter
 * would start begins a comment; parameters are separated by white space; {@code "..."} groups
 * with backslash escapes, {@code '...'} groups with none; outside single quotes a backslash may only
 * escape a backslash, a double quote or white space; a leading {@code --} on the name is dropped
 * (bypass_doubledash); a line holding only {@code <name>} opens an inline block that runs to the
 * line {@code </name>}.
 */
public final class ConfigLexer {

    /** options.h MAX_PARMS: parameters beyond these are not read. */
    static final int MAX_PARAMETERS = 16;

    private ConfigLexer() {}

    public static Result<List<Directive>, ConfigError> lex(String text) {
        return lex(text.split("\r?\n", -1), 0);
    }

    static Result<List<Directive>, ConfigError> lex(String[] lines, int firstLineNumber) {
        List<Directive> directives = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = firstLineNumber + i + 1;
            Result<List<String>, String> split = splitLine(lines[i]);
            if (split instanceof Result.Err<List<String>, String>(String reason)) {
                return Result.err(new ConfigError(lineNumber, reason));
            }
            List<String> tokens = split.orElseThrow();
            if (tokens.isEmpty()) {
                continue;
            }
            String first = tokens.getFirst();
            if (tokens.size() == 1 && first.length() > 2 && first.startsWith("<") && first.endsWith(">") && !first.startsWith("</")) {
                String name = first.substring(1, first.length() - 1);
                String close = "</" + name + ">";
                StringBuilder content = new StringBuilder();
                int j = i + 1;
                // options.c read_inline_file: the line that starts with the close tag, after white space, ends the block
                while (j < lines.length && !lines[j].stripLeading().startsWith(close)) {
                    content.append(lines[j]).append('\n');
                    j++;
                }
                if (j == lines.length) {
                    return Result.err(new ConfigError(lineNumber, "inline block <" + name + "> has no " + close));
                }
                directives.add(new Directive(lineNumber, name, List.of("[inline]"), Optional.of(content.toString())));
                i = j;
                continue;
            }
            String name = first.startsWith("--") ? first.substring(2) : first;
            directives.add(new Directive(lineNumber, name, tokens.subList(1, tokens.size()), Optional.empty()));
        }
        return Result.ok(directives);
    }

    private enum State { INITIAL, UNQUOTED, QUOTED, SINGLE_QUOTED }

    /** C's isspace in the C locale, as parse_line's space() uses it: not Java's wider idea of white space. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** options.c parse_line, state for state. */
    public static Result<List<String>, String> splitLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder parameter = new StringBuilder();
        State state = State.INITIAL;
        boolean backslash = false;
        for (int i = 0; i <= line.length() && out.size() < MAX_PARAMETERS; i++) {
            char in = i < line.length() ? line.charAt(i) : '\0';
            boolean end = i == line.length();
            if (!backslash && in == '\\' && state != State.SINGLE_QUOTED && !end) {
                backslash = true;
                continue;
            }
            char produced = 0;
            boolean done = false;
            boolean space = end || isSpace(in);
            switch (state) {
                case INITIAL -> {
                    if (!space) {
                        if (in == ';' || in == '#') {
                            return Result.ok(out);
                        }
                        if (!backslash && in == '"') {
                            state = State.QUOTED;
                        } else if (!backslash && in == '\'') {
                            state = State.SINGLE_QUOTED;
                        } else {
                            produced = in;
                            state = State.UNQUOTED;
                        }
                    }
                }
                case UNQUOTED -> {
                    if (!backslash && space) {
                        done = true;
                    } else {
                        produced = in;
                    }
                }
                case QUOTED -> {
                    if (!backslash && in == '"') {
                        done = true;
                    } else if (!end) {
                        produced = in;
                    }
                }
                case SINGLE_QUOTED -> {
                    if (in == '\'') {
                        done = true;
                    } else if (!end) {
                        produced = in;
                    }
                }
            }
            if (done) {
                out.add(parameter.toString());
                parameter.setLength(0);
                state = State.INITIAL;
            }
            if (backslash && produced != 0 && !(produced == '\\' || produced == '"' || isSpace(produced))) {
                return Result.err("bad backslash ('\\') usage: a backslash escapes only a backslash, a double quote or a space");
            }
            backslash = false;
            if (produced != 0) {
                parameter.append(produced);
            }
        }
        if (state == State.QUOTED) {
            return Result.err("no closing quotation (\")");
        }
        if (state == State.SINGLE_QUOTED) {
            return Result.err("no closing single quotation (')");
        }
        if (state == State.UNQUOTED) {
            return Result.err("a backslash at the end of the line escapes nothing");
        }
        return Result.ok(out);
    }
}
