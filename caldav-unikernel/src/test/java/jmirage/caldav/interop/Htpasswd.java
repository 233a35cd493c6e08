package jmirage.caldav.interop;

import jmirage.testkit.Command;
import jmirage.testkit.Sh;

/** An htpasswd line in the bcrypt format operators make with {@code htpasswd -B} (apache2-utils), made by that tool. */
final class Htpasswd {

    private Htpasswd() {}

    /** {@code user:$2y$...}, with a newline; cost 5 keeps the tests quick (the format is the same). */
    static String line(String user, String password) {
        Sh.requireCommand("htpasswd", "apache2-utils");
        String out = Command.of("htpasswd", "-B", "-C", "5", "-b", "-n", user, password).run().ok().out();
        String line = out.strip();
        if (!line.startsWith(user + ":$2y$")) {
            throw new AssertionError("htpasswd -B wrote no bcrypt line: " + out);
        }
        return line + "\n";
    }
}
