package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelModulesTest {

    // The lines of Debian 12's modules.dep (6.1.0-57-amd64) for the virtio NIC, and one unrelated module.
    private static final String MODULES_DEP = """
            kernel/drivers/virtio/virtio_pci_modern_dev.ko:
            kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
            kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/virtio/virtio_ring.ko:
            kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
            kernel/net/core/failover.ko:
            kernel/fs/fat/vfat.ko.xz: kernel/fs/fat/fat.ko.xz
            """;

    @Test
    void eachModuleComesAfterWhatItNeedsAndOnlyOnce() {
        KernelModules modules = KernelModules.parse(MODULES_DEP);
        assertEquals(Optional.of(List.of(
                "kernel/drivers/virtio/virtio_ring.ko",
                "kernel/drivers/virtio/virtio.ko",
                "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
                "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
                "kernel/drivers/virtio/virtio_pci.ko",
                "kernel/net/core/failover.ko",
                "kernel/drivers/net/net_failover.ko",
                "kernel/drivers/net/virtio_net.ko")), modules.loadOrder(List.of("virtio_pci", "virtio_net")));
    }

    @Test
    void aCompressedModuleIsFoundByItsNameAndAnUnknownOneIsNot() {
        KernelModules modules = KernelModules.parse(MODULES_DEP);
        assertEquals(Optional.of(List.of("kernel/fs/fat/fat.ko.xz", "kernel/fs/fat/vfat.ko.xz")), modules.loadOrder(List.of("vfat")));
        assertEquals(Optional.empty(), modules.loadOrder(List.of("virtio_net", "e1000")));
    }
}
