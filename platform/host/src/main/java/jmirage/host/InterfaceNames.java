package jmirage.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a network interface of a name exists in the calling thread's network namespace, asked
 * without side effects ({@code if_nametoindex(3)}, which works in any namespace the process entered,
 * unlike {@code /sys/class/net}, which shows the namespace sysfs was mounted in). The tap target
 * asks before attaching, so that a mistyped {@code --tap} name is an error rather than a new, down
 * interface ({@link TapDevice#open} creates one when it may).
 */
public final class InterfaceNames {

    private static final MethodHandle IF_NAMETOINDEX = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("if_nametoindex")
                    .orElseThrow(() -> new IllegalStateException("libc has no if_nametoindex")),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private InterfaceNames() {}

    public static boolean exists(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(name)) != 0;
        } catch (Throwable t) {
            throw new IllegalStateException("calling if_nametoindex", t);
        }
    }
}
