package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every unikernel of the build finds all its jars in launcher/target/lib (decision 15): each module's
 * list names the versions Maven resolved for that module, and launcher/target/lib holds those resolved
 * for the launcher, so a library two modules resolve differently (commons-codec: 1.22.1 for JGit, 1.17.0
 * for ical4j, before the parent pom chose one) leaves a unikernel without an image. After
 * {@code package}, in the launcher's "images" execution; no jlink, no training: a second or two.
 */
@Tag("image")
class JarsOfEveryUnikernelImageTest {

    static final Path LAUNCHER_JAR = Path.of("..").toAbsolutePath().normalize().resolve("launcher/target/launcher.jar");

    @Test
    void everyUnikernelOfTheBuildHasEachJarItsListsNameInLauncherTarget() {
        List<String> failures = new ArrayList<>();
        List<ServiceLoader.Provider<Unikernel>> providers = ServiceLoader.load(Unikernel.class).stream().toList();
        for (ServiceLoader.Provider<Unikernel> provider : providers) {
            if (ImageJars.of(LAUNCHER_JAR, provider.type().getName()) instanceof Result.Err<List<Path>, ImageError>(ImageError e)) {
                failures.add(provider.type().getName() + ": " + e.describe());
            }
        }
        assertTrue(providers.size() >= 7, "the build's unikernels on the test class path: " + providers.size());
        assertEquals(List.of(), failures);
    }
}
