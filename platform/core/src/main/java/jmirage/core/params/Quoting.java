package jmirage.core.params;

/** An argument as a usage error shows it: in single quotes, control characters escaped, so the error stays one line. */
final class Quoting {

    private Quoting() {}

    static String quoted(String argument) {
        StringBuilder quoted = new StringBuilder("'");
        argument.chars().forEach(c -> {
            switch (c) {
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        quoted.append(String.format("\\u%04x", c));
                    } else {
                        quoted.append((char) c);
                    }
                }
            }
        });
        return quoted.append('\'').toString();
    }
}
