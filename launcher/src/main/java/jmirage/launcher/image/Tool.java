package jmirage.launcher.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jmirage.core.Result;

/** Runs a build tool (jdeps, jlink, ...) to completion and answers what it printed, standard error merged in. */
public final class Tool {

    /** How much of a failed tool's output an {@link ImageError.ToolFailed} keeps: its last lines. */
    private static final int KEPT_OUTPUT = 2000;

    private Tool() {}

    public static Result<String, ImageError> run(List<String> command, Path workingFolder) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingFolder.toFile()).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0) {
                String tail = output.length() > KEPT_OUTPUT ? output.substring(output.length() - KEPT_OUTPUT) : output;
                return Result.err(new ImageError.ToolFailed(command, status, tail));
            }
            return Result.ok(output);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("running " + command.getFirst(), e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.err(new ImageError.Io("running " + command.getFirst(), "interrupted"));
        }
    }
}
