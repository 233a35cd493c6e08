package jmirage.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader of the text exposition format, for tests only: it reads back what
 * {@link PrometheusText} writes, undoing the escapes, and refuses anything else. (The launcher's
 * tests read it with the real parser of the prometheus_client Python package.)
 */
final class ExpositionReader {

    record ReadSample(String name, Map<String, String> labels, String value) {}

    record ReadFamily(String name, String help, String type, List<ReadSample> samples) {}

    private ExpositionReader() {}

    static List<ReadFamily> read(String text) {
        List<ReadFamily> families = new ArrayList<>();
        String name = null;
        String help = null;
        String type = null;
        List<ReadSample> samples = new ArrayList<>();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line has no line feed");
        }
        for (String line : text.isEmpty() ? new String[0] : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                if (name != null) {
                    families.add(new ReadFamily(name, help, type, samples));
                }
                String rest = line.substring("# HELP ".length());
                int space = rest.indexOf(' ');
                name = rest.substring(0, space);
                help = unescape(rest.substring(space + 1));
                type = null;
                samples = new ArrayList<>();
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                if (!parts[2].equals(name)) {
                    throw new IllegalArgumentException("TYPE for " + parts[2] + " inside " + name);
                }
                type = parts[3];
            } else {
                samples.add(sample(line));
            }
        }
        if (name != null) {
            families.add(new ReadFamily(name, help, type, samples));
        }
        return families;
    }

    private static ReadSample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            return new ReadSample(line.substring(0, space), Map.of(), line.substring(space + 1));
        }
        String name = line.substring(0, brace);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String labelName = line.substring(i, equals);
            if (line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("label value without quotes: " + line);
            }
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(j + 1);
                    value.append(switch (next) {
                        case 'n' -> '\n';
                        case '\\' -> '\\';
                        case '"' -> '"';
                        default -> throw new IllegalArgumentException("bad escape \\" + next);
                    });
                    j += 2;
                } else {
                    value.append(c);
                    j++;
                }
            }
            labels.put(labelName, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        if (line.charAt(i + 1) != ' ') {
            throw new IllegalArgumentException("no space before the value: " + line);
        }
        return new ReadSample(name, labels, line.substring(i + 2));
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case '\\' -> '\\';
                    default -> throw new IllegalArgumentException("bad escape \\" + next);
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
