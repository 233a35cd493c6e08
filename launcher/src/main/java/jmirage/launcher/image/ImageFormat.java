package jmirage.launcher.image;

import java.nio.file.Path;
import jmirage.core.Result;

/**
 * One way to package a unikernel ({@code ./unikernel image NAME --format F}): builds under
 * {@link ImageRequest#output(String)} of its own {@link #name()} and answers the folder it wrote.
 */
public interface ImageFormat {

    /** The value of {@code --format} that selects this format. */
    String name();

    Result<Path, ImageError> build(ImageRequest request);
}
