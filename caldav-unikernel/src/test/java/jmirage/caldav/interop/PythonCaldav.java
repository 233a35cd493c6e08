package jmirage.caldav.interop;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;

/** Runs {@code python_caldav_flow.py} (python3-caldav) against a server and reads what it printed. */
final class PythonCaldav {

    static final String PYTHON = "/usr/bin/python3";

    private PythonCaldav() {}

    static void require() {
        Sh.requireCommand(PYTHON, "python3");
        Ran probe = Command.of(PYTHON, "-c", "import caldav").run();
        if (!probe.succeeded()) {
            throw new AssertionError("python3 cannot import caldav: apt-get install python3-caldav\n" + probe.err());
        }
    }

    /** The session's JSON: {@code results} and {@code failures}; {@code wrapper} runs it elsewhere ({@code ip netns exec NS}). */
    static Session run(List<String> wrapper, URI root, String calendarId, boolean shortSession) {
        List<String> argv = new ArrayList<>(wrapper);
        argv.addAll(List.of(PYTHON, Resources.file("python_caldav_flow.py").toString(), root.toString(),
                ServerUnderTest.USER, ServerUnderTest.PASSWORD, calendarId));
        if (shortSession) {
            argv.add("--short");
        }
        Ran ran = Command.of(argv).timeout(Duration.ofSeconds(120)).run();
        if (ran.timedOut()) {
            throw new AssertionError("python3-caldav timed out\n" + ran.output());
        }
        Map<String, Object> json = Json.lastObject(ran.out());
        return new Session(Json.asMap(json.get("results")), Json.asList(json.get("failures")).stream().map(String::valueOf).toList(),
                ran.err());
    }

    /** What the script saw, what failed, and its standard error (the library's tracebacks). */
    record Session(Map<String, Object> results, List<String> failures, String stderr) {

        Session {
            failures = List.copyOf(failures);
        }

        Map<String, Object> step(String name) {
            Object step = results.get(name);
            if (step == null) {
                throw new AssertionError("step " + name + " did not complete: " + this);
            }
            return Json.asMap(step);
        }

        @Override
        public String toString() {
            return "failures: " + String.join("\n  ", failures) + "\nresults: " + results + "\nstderr:\n" + stderr;
        }
    }
}
