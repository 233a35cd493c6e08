package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jmirage.core.Unikernel;
import jmirage.examples.echo.Echo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./unikernel image}'s command line: each mistake is exit 2 with one line, and nothing is built. */
class ImageCommandTest {

    @TempDir
    Path root;

    record Outcome(int status, String out, String err) {}

    Outcome image(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ImageCommand.run(List.of(args), name -> name.equals("echo") ? Optional.<Unikernel<?, ?>>of(new Echo()) : Optional.empty(),
                root, Path.of(System.getProperty("java.home")), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }

    @Test
    void usageErrorsExitTwoWithOneLineAndBuildNothing() {
        List<List<String>> cases = List.of(
                List.of(),
                List.of("--format", "dir"),
                List.of("echo", "--format"),
                List.of("echo", "--size", "small"));
        for (List<String> args : cases) {
            Outcome o = image(args.toArray(String[]::new));
            assertEquals(2, o.status(), args.toString());
            assertEquals("usage: unikernel image NAME [--format " + ImageCommand.formatNames("|")
                    + "] [--train-on IPV4]\n", o.err(), args.toString());
        }
        assertEquals(new Outcome(2, "", "no unikernel named 'nope'; `unikernel list` names them\n"), image("nope"));
        assertEquals(new Outcome(2, "", "unknown image format 'zip'; the formats are " + ImageCommand.formatNames(", ")
                + "\n"), image("echo", "--format", "zip"));
        assertEquals(new Outcome(2, "", "--train-on wants an IPv4 address the training run may bind, not '::1'\n"),
                image("echo", "--train-on", "::1"));
        assertFalse(Files.exists(root.resolve("target")));
    }

    @Test
    void anUnbuiltLauncherIsAFailureThatSaysWhatToBuild() {
        Outcome o = image("echo", "--format", "dir");
        assertEquals(1, o.status());
        assertTrue(o.err().startsWith("image echo --format dir: launcher/target/launcher.jar is missing: build first"), o.err());
        assertFalse(Files.exists(root.resolve("target")));
    }

    @Test
    void theDefaultFormatIsDirAndTheDefaultTrainingAddressIsLoopback() {
        ImageCommand.Invocation parsed = ImageCommand.parse(List.of("echo"), new PrintWriter(new StringWriter()))
                .orElseThrow();
        assertEquals(new ImageCommand.Invocation("echo", ImageCommand.FORMATS.getFirst(), "127.18.1.1"), parsed);
        assertEquals(DirImage.NAME, parsed.format().name());
    }
}
