package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 5: {@code --tap DEV} attaches to an existing TAP interface and creates nothing; a
 * missing or non-TAP one is a boot refusal (exit 1) naming the fix; {@code --tap-create} creates it.
 * In a network namespace this test makes, as root.
 */
@Tag("root")
class TapAttachTest {

    private static final String SUFFIX = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private static final String NAMESPACE = "jmattach" + SUFFIX;
    private static final String TAP = "jma" + SUFFIX;
    private static final List<String> IN_NAMESPACE = List.of("ip", "netns", "exec", NAMESPACE);

    @BeforeEach
    void createTheNamespace() throws Exception {
        assertEquals("0", output(List.of("id", "-u")).trim(), "the tap attach test builds a network namespace: run it as root");
        assertEquals(0, status(List.of("ip", "netns", "add", NAMESPACE)));
    }

    @AfterEach
    void removeIt() throws Exception {
        status(List.of("ip", "netns", "del", NAMESPACE));
    }

    private static int status(List<String> command) {
        Ran ran = Command.of(command).run();
        assertFalse(ran.timedOut(), ran::describe);
        return ran.exit();
    }

    private static String output(List<String> command) {
        return Command.of(command).run().ok().output();
    }

    private static boolean linkExists(String name) throws Exception {
        List<String> show = new ArrayList<>(List.of("ip", "-n", NAMESPACE, "link", "show", name));
        return status(show) == 0;
    }

    @Test
    void aMissingTapIsRefusedWithTheFixAndNothingIsCreated() throws Exception {
        try (ChildLauncher child = new ChildLauncher(IN_NAMESPACE, "run", "echo", "--target", "tap", "--tap", TAP,
                "--ipv4", "10.84.0.2/24")) {
            assertEquals(HostTarget.EXIT_CANNOT_BOOT, child.exitStatus(), "exits without waiting");
            child.awaitLine("echo: --tap " + TAP + ": no such interface; create it with `ip tuntap add dev " + TAP
                    + " mode tap user USER && ip link set " + TAP + " up`, or boot with --tap-create");
        }
        assertTrue(!linkExists(TAP), TAP + " was not created");
    }

    @Test
    void aTunInterfaceIsNotATapAndIsRefused() throws Exception {
        assertEquals(0, status(List.of("ip", "-n", NAMESPACE, "tuntap", "add", "dev", TAP, "mode", "tun")));
        try (ChildLauncher child = new ChildLauncher(IN_NAMESPACE, "run", "echo", "--target", "tap", "--tap", TAP,
                "--ipv4", "10.84.0.2/24")) {
            assertEquals(HostTarget.EXIT_CANNOT_BOOT, child.exitStatus(), "exits without waiting");
            child.awaitLine("echo: --tap " + TAP + ": cannot attach to TAP interface " + TAP);
        }
        assertTrue(output(List.of("ip", "-n", NAMESPACE, "-d", "link", "show", TAP)).contains("tun type tun"),
                "the TUN interface is left as it was");
    }

    @Test
    void tapCreateCreatesItAndItGoesAwayOnStop() throws Exception {
        try (ChildLauncher child = new ChildLauncher(IN_NAMESPACE, "run", "echo", "--target", "tap", "--tap", TAP, "--tap-create",
                "--ipv4", "10.84.0.2/24", "--port-base", "17000")) {
            child.awaitLine("attached to TAP " + TAP);
            child.awaitLine("serving echo on 17007");
            assertTrue(output(List.of("ip", "-n", NAMESPACE, "-d", "link", "show", TAP)).contains("tun type tap"),
                    "a TAP interface named " + TAP);
            assertEquals(0, child.terminate());
        }
        assertTrue(!linkExists(TAP), "the interface the unikernel created is gone with it");
    }

    @Test
    void anExistingTapIsAttachedWithoutTapCreate() throws Exception {
        assertEquals(0, status(List.of("ip", "-n", NAMESPACE, "tuntap", "add", "dev", TAP, "mode", "tap")));
        try (ChildLauncher child = new ChildLauncher(IN_NAMESPACE, "run", "echo", "--target", "tap", "--tap", TAP,
                "--ipv4", "10.84.0.2/24", "--port-base", "17000")) {
            child.awaitLine("attached to TAP " + TAP);
            assertEquals(0, child.terminate());
        }
        assertTrue(linkExists(TAP), "the operator's interface stays");
    }
}
