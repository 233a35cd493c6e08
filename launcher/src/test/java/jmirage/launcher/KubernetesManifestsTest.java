package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.core.Unikernel;
import org.junit.jupiter.api.Test;

/**
 * Every unikernel of the catalogue has its manifests in deploy/kubernetes (validated there by {@code validate}),
 * but those that claim networks by role (a router such as qubes-firewall, decision 25: a pod has no TAP
 * interfaces of the operator's).
 */
class KubernetesManifestsTest {

    @Test
    void everyUnikernelHasKubernetesManifests() {
        Path manifests = Path.of("").toAbsolutePath().getParent().resolve("deploy").resolve("kubernetes");
        List<String> missing = Catalog.ALL.stream().filter(u -> DeviceProbe.claimedBy(u).networks().orElse(List.of()).isEmpty())
                .map(Unikernel::name)
                .filter(name -> !Files.isRegularFile(manifests.resolve(name + ".yaml"))).toList();
        assertEquals(List.of(), missing, "unikernels without " + manifests + "/NAME.yaml");
    }
}
