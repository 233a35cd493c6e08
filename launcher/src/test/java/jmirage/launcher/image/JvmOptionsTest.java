package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A unikernel runs in the same JVM whichever way it is started: {@code ./unikernel run}, an image's
 * {@code bin/NAME} ({@link DirImage#JVM_OPTIONS}) or the runner {@code scripts/install-service}
 * writes. The three lists live in three languages; this holds them together, so an option added to
 * one (the JVM exiting on OutOfMemoryError, decision 12) is not missing from another.
 */
class JvmOptionsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The lines from the one that execs the JDK's java to the end of that command (its continuations). */
    private static String javaCommand(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script);
        StringBuilder command = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (!in && line.trim().startsWith("exec \"$JAVA_HOME/bin/java\"")) {
                in = true;
            }
            if (in) {
                command.append(line).append('\n');
                if (!line.endsWith("\\")) {
                    break;
                }
            }
        }
        assertTrue(in, script + " has no exec of $JAVA_HOME/bin/java");
        return command.toString();
    }

    @Test
    void theLauncherScriptTheImagesAndTheInstalledRunnerPassTheSameOptions() throws IOException {
        for (Path script : List.of(ROOT.resolve("unikernel"), ROOT.resolve("scripts/install-service"))) {
            String command = javaCommand(script);
            for (String option : DirImage.JVM_OPTIONS) {
                assertTrue(List.of(command.split("[\\s\\\\]+")).contains(option), script + " does not pass " + option + ":\n" + command);
            }
        }
        assertTrue(DirImage.JVM_OPTIONS.contains("-XX:+ExitOnOutOfMemoryError"), DirImage.JVM_OPTIONS::toString);
    }
}
