package jmirage.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library through the FFM API, for the host's devices that talk to the kernel themselves
 * ({@link TapDevice}, {@link EpollUdpSocket}): how a call is bound, errno captured and told, an fd
 * closed, memory mapped. Linux on a 64-bit machine (LP64), as the epoll transport is.
 */
final class Libc {

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENETUNREACH = 101;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    /** Passed to a call bound with it: where errno is captured right after the call. */
    static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final long MAP_FAILED = -1L;

    // Each call is bound the first time it is made (a holder class per call): binding makes the FFM
    // API generate classes, which a unikernel that never makes the call should not pay for at boot.
    private static final class Close {
        static final MethodHandle CALL = bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Strerror {
        static final MethodHandle CALL = bind("strerror",
                FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                        ValueLayout.JAVA_INT));
    }

    private static final class Mmap {
        static final MethodHandle MAP = bind("mmap",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        static final MethodHandle UNMAP = bind("munmap",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private Libc() {}

    static MethodHandle bind(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LIBC.find(symbol).orElseThrow(() -> new IllegalStateException("libc has no " + symbol)),
                descriptor, options);
    }

    static void close(int fd) {
        try {
            int ignored = (int) Close.CALL.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("calling close", t);
        }
    }

    /** The errno captured in {@code captured} (of {@link #CAPTURE_LAYOUT}) by the last call given it. */
    static int errno(MemorySegment captured) {
        return (int) ERRNO.get(captured, 0L);
    }

    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) Strerror.CALL.invokeExact(errno);
            return text.getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /**
     * {@code size} bytes of private anonymous memory, unmapped when {@code arena} closes. Unlike
     * {@link Arena#allocate}, which zeroes (so touches) every page, a page takes memory only once
     * written: a buffer sized for the largest datagram costs what the datagrams use of it.
     */
    static MemorySegment map(long size, Arena arena) {
        MemorySegment address;
        try {
            address = (MemorySegment) Mmap.MAP.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("calling mmap", t);
        }
        if (address.address() == MAP_FAILED) {
            throw new OutOfMemoryError("mmap of " + size + " bytes failed");
        }
        return address.reinterpret(size, arena, mapped -> {
            try {
                int ignored = (int) Mmap.UNMAP.invokeExact(mapped, size);
            } catch (Throwable t) {
                throw new IllegalStateException("calling munmap", t);
            }
        });
    }
}
