package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jmirage.core.Compilation;
import jmirage.core.Result;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import jmirage.examples.echo.Echo;

/**
 * The vm image of echo boots under qemu (TCG: no KVM needed) and answers a TCP echo on its virtio
 * NIC: {@code ./unikernel image echo --format vm}'s {@code run-qemu.sh} on a TAP device inside a
 * network namespace this test makes, the TAP's Linux end 10.218.4.1/24, the VM 10.218.4.2. As root
 * (TAP, namespace). Prints the time from qemu's start to the first echo answered.
 */
@Tag("image")
@Tag("root")
@Tag("peer")
class VmImageTest {

    /** The training run's address, not DirImageTest's, so that both may run at once. */
    private static final String TRAINING = "127.18.1.5";
    private static final String SUFFIX = NetNamespace.uniqueSuffix();
    private static final NetNamespace NAMESPACE = new NetNamespace("jmvm" + SUFFIX);
    private static final String TAP = "jmvm" + SUFFIX;
    private static final String HOST_END = "10.218.4.1";
    private static final String VM = "10.218.4.2";
    /** Under TCG the kernel unpacks the initramfs and the JVM starts emulated: about a minute here. */
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(150);

    @AfterEach
    void removeTheNamespace() {
        NAMESPACE.delete();
    }

    @Test
    void echoBootsAsInitAndAnswersOnItsNic() throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("qemu-system-x86_64", "qemu-system-x86");
        Sh.requireCommand("socat", "socat");
        Path root = Path.of("").toAbsolutePath().getParent();
        StringWriter progress = new StringWriter();
        ImageRequest request = new ImageRequest("echo", new Echo().heapMiB(), new Echo().initialHeapMiB(), Compilation.TIERED, Echo.class.getName(), root, Path.of(System.getProperty("java.home")), TRAINING,
                new PrintWriter(progress, true));
        Result<Path, ImageError> built = new VmImage(VmImage.Host.debian()).build(request);
        if (built instanceof Result.Err<Path, ImageError>(ImageError error)) {
            throw new AssertionError(error.describe() + "\n" + progress);
        }
        Path vm = request.output(VmImage.NAME);
        assertEquals(vm, ((Result.Ok<Path, ImageError>) built).value());
        assertTrue(Files.size(vm.resolve("vmlinuz")) > 0 && Files.size(vm.resolve("initramfs.cpio.gz")) > 0);

        NAMESPACE.create();
        NAMESPACE.ip("link", "set", "lo", "up");
        NAMESPACE.ip("tuntap", "add", "dev", TAP, "mode", "tap");
        NAMESPACE.ip("addr", "add", HOST_END + "/24", "dev", TAP);
        NAMESPACE.ip("link", "set", TAP, "up");

        long start = System.nanoTime();
        try (Started qemu = Command.of(NAMESPACE.exec(vm.resolve("run-qemu.sh").toString(), TAP, VM + "/24",
                "--listen", "0.0.0.0", "--port-base", "17000")).start()) {
            String answer = "";
            while (!answer.equals("hello from the host\n")) {
                if (System.nanoTime() - start > BOOT_LIMIT.toNanos() || !qemu.isAlive()) {
                    throw new AssertionError("no echo from " + VM + " within " + BOOT_LIMIT + "; console:\n" + qemu.out() + qemu.err());
                }
                Thread.sleep(200);
                answer = Command.of(NAMESPACE.exec("socat", "-t", "2", "-", "TCP:" + VM + ":17007,connect-timeout=1"))
                        .stdin("hello from the host\n").timeout(Duration.ofSeconds(5)).run().out();
            }
            Duration boot = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("VmImageTest: qemu start to the first echo answered: " + boot.toMillis() + " ms (TCG)");
            assertTrue(qemu.out().contains("serving echo on 17007"), qemu.out());
        }
    }
}
