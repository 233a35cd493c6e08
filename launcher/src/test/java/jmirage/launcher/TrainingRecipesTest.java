package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.launcher.image.ImageCommand;
import jmirage.launcher.image.ImageError;
import jmirage.launcher.image.ImageRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unikernel of the catalogue has a training recipe that boots it, serves, answers its exercise
 * and stops with status 0 on SIGTERM: the run an image's build makes to record its AOT cache, here on
 * the build's own class path (no jlink, no cache), so that a recipe broken by a change to its
 * unikernel (a new required parameter, a configuration it now needs) fails here and not at
 * {@code ./unikernel image}. Loopback 127.18.4.x, one address per unikernel, unprivileged ports.
 */
class TrainingRecipesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path scratch;

    /**
     * Those of the catalogue that claim no network by role: one that does (qubes-firewall, decision 25)
     * boots on the tap target only, with interfaces the operator made, as root; no training run here.
     */
    static Stream<Unikernel<?, ?>> catalogue() {
        return Catalog.ALL.stream().filter(u -> DeviceProbe.claimedBy(u).networks().orElse(List.of()).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void theTrainingRecipeBootsExercisesAndStopsTheUnikernel(Unikernel<?, ?> unikernel) throws Exception {
        String address = "127.18.4." + (10 + Catalog.ALL.indexOf(unikernel));
        StringWriter progress = new StringWriter();
        ImageRequest request = new ImageRequest(unikernel.name(), unikernel.heapMiB(), unikernel.initialHeapMiB(), unikernel.compilation(),
                unikernel.getClass().getName(), ROOT, Path.of(System.getProperty("java.home")), address,
                new PrintWriter(progress, true));
        List<String> java = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        java.addAll(JvmSizing.options(unikernel.heapMiB(), unikernel.compilation()));
        java.add(JvmSizing.initialHeapOption(unikernel.initialHeapMiB()));
        java.addAll(List.of("-cp", System.getProperty("java.class.path")));
        Result<Unit, ImageError> rehearsed = ImageCommand.rehearse(request, java, Files.createDirectories(scratch.resolve("run")));
        assertEquals(Result.ok(), rehearsed, () -> rehearsed instanceof Result.Err<Unit, ImageError>(ImageError e)
                ? e.describe() : "");
    }
}
