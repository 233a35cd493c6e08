package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import jmirage.core.Result;
import jmirage.launcher.image.CpioArchive.Entry;

/**
 * The {@code vm} format: a bootable image for qemu made of Debian's kernel and an initramfs in
 * which the unikernel is the init process. The initramfs holds the dir image under {@code /app}, the
 * shared libraries its runtime needs (found with ldd), the virtio modules and a busybox for the few
 * lines of {@code /init} that mount /proc, /sys and /dev, load the modules, configure {@code eth0}
 * from the kernel command line and {@code exec} the unikernel as PID 1.
 *
 * <p>Reproducible: the archive's entries are sorted, their owner is root, a jar keeps the dir image's
 * fixed time stamp (the AOT cache checks the jars' times) and everything else gets {@link #EPOCH};
 * gzip writes no time or name. The kernel, modules, libraries and busybox are the installed Debian packages'.
 */
public record VmImage(Host host) implements ImageFormat {

    public static final String NAME = "vm";

    /** The time stamp of what the image adds beside the dir image. */
    static final long EPOCH = 0;

    /** The modules the NIC needs in Debian's kernel configuration (both are {@code =m}), with their dependencies. */
    static final List<String> MODULES = List.of("virtio_pci", "virtio_net");

    /** What the image is made from on this machine. */
    public record Host(Path boot, Path modules, Path busybox) {
        public static Host debian() {
            return new Host(Path.of("/boot"), Path.of("/lib/modules"), Path.of("/bin/busybox"));
        }
    }

    /** What was written: the three files of {@code target/images/NAME/vm/}. */
    public record Written(Path kernel, Path initramfs, Path runScript, String kernelVersion, List<String> modules) {
        public Written {
            modules = List.copyOf(modules);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The dir image first (this build's, or built afresh), then the vm image from it. */
    @Override
    public Result<Path, ImageError> build(ImageRequest request) {
        return DirImage.currentOrBuilt(request).flatMap(dir -> {
            Path out = request.output(NAME);
            request.progress().println("image " + request.unikernel() + ": kernel and initramfs into " + out);
            return switch (write(request.unikernel(), dir, out, host)) {
                case Result.Ok<Written, VmImageError>(Written written) -> Result.<Path, ImageError>ok(written.kernel().getParent());
                case Result.Err<Written, VmImageError>(VmImageError error) -> Result.<Path, ImageError>err(new ImageError.VmFailed(error));
            };
        });
    }

    /** Writes the vm image of {@code name} from its dir image into {@code out}. */
    public static Result<Written, VmImageError> write(String name, Path dirImage, Path out, Host host) {
        try {
            return buildOrThrow(name, dirImage, out, host);
        } catch (IOException | UncheckedIOException e) {
            return Result.err(new VmImageError.Io(out, e.getMessage()));
        }
    }

    private static Result<Written, VmImageError> buildOrThrow(String name, Path dirImage, Path out, Host host) throws IOException {
        Path launcherScript = dirImage.resolve("bin").resolve(name);
        if (!Files.isRegularFile(launcherScript)) {
            return Result.err(new VmImageError.NotADirImage(dirImage, "bin/" + name));
        }
        if (!Files.isDirectory(dirImage.resolve("runtime"))) {
            return Result.err(new VmImageError.NotADirImage(dirImage, "runtime/"));
        }
        if (!Files.isRegularFile(host.busybox())) {
            return Result.err(new VmImageError.NoBusybox(host.busybox()));
        }
        Optional<String> version = kernelVersion(host);
        if (version.isEmpty()) {
            return Result.err(new VmImageError.NoKernel(host.boot()));
        }
        Path moduleDir = host.modules().resolve(version.get());
        KernelModules modules = KernelModules.parse(Files.readString(moduleDir.resolve("modules.dep")));
        Optional<List<String>> order = modules.loadOrder(MODULES);
        if (order.isEmpty()) {
            return Result.err(new VmImageError.NoModule(version.get(), MODULES));
        }

        CpioArchive archive = new CpioArchive();
        for (String folder : List.of("bin", "dev", "etc", "proc", "sys", "tmp", "app", "modules")) {
            archive.add(new Entry.Directory(folder, folder.equals("tmp") ? 01777 : 0755, EPOCH));
        }
        // The kernel opens /dev/console for init's standard streams before init mounts devtmpfs.
        archive.add(new Entry.CharDevice("dev/console", 0600, 5, 1, EPOCH));
        archive.add(new Entry.File("etc/hosts", 0644, EPOCH, "127.0.0.1 localhost\n".getBytes(StandardCharsets.US_ASCII)));
        archive.add(new Entry.File("bin/busybox", 0755, EPOCH, Files.readAllBytes(host.busybox())));
        Result<String, VmImageError> applets = run(List.of(host.busybox().toString(), "--list"));
        if (applets instanceof Result.Err<String, VmImageError>(VmImageError e)) {
            return Result.err(e);
        }
        for (String applet : ((Result.Ok<String, VmImageError>) applets).value().split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                archive.add(new Entry.Symlink("bin/" + applet.strip(), "busybox", EPOCH));
            }
        }

        // Not under /lib: that is the host's link to usr/lib, added with the libraries.
        String moduleRoot = "modules/" + version.get();
        archive.add(new Entry.Directory(moduleRoot, 0755, EPOCH));
        for (String module : order.get()) {
            addParents(archive, moduleRoot + "/" + module);
            archive.add(new Entry.File(moduleRoot + "/" + module, 0644, EPOCH, Files.readAllBytes(moduleDir.resolve(module))));
        }

        addTree(archive, dirImage, "app");

        Result<Set<Path>, VmImageError> libraries = sharedLibraries(dirImage.resolve("runtime"));
        if (libraries instanceof Result.Err<Set<Path>, VmImageError>(VmImageError e)) {
            return Result.err(e);
        }
        for (Path library : ((Result.Ok<Set<Path>, VmImageError>) libraries).value()) {
            addHostPath(archive, library);
        }

        archive.add(new Entry.File("init", 0755, EPOCH, initScript(name, moduleRoot, order.get()).getBytes(StandardCharsets.UTF_8)));

        Files.createDirectories(out);
        Path kernel = out.resolve("vmlinuz");
        Files.copy(host.boot().resolve("vmlinuz-" + version.get()), kernel, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path initramfs = out.resolve("initramfs.cpio.gz");
        try (OutputStream file = Files.newOutputStream(initramfs);
             GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16)) {
            archive.writeTo(gzip);
        }
        Path runScript = out.resolve("run-qemu.sh");
        Files.writeString(runScript, runScript(name));
        Files.setPosixFilePermissions(runScript, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
        return Result.ok(new Written(kernel, initramfs, runScript, version.get(), order.get()));
    }

    /** The newest kernel under /boot whose modules are installed. */
    static Optional<String> kernelVersion(Host host) throws IOException {
        if (!Files.isDirectory(host.boot())) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(host.boot())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("vmlinuz-"))
                    .map(n -> n.substring("vmlinuz-".length()))
                    .filter(v -> Files.isRegularFile(host.modules().resolve(v).resolve("modules.dep")))
                    .max(Comparator.naturalOrder());
        }
    }

    /**
     * /init: PID 1 until it execs the unikernel. The kernel hands init each word of its command line
     * of the form key=value whose key has no dot as an environment variable, quotes removed, so
     * {@code jmirage_args="--listen 0.0.0.0"} arrives whole.
     */
    static String initScript(String name, String moduleRoot, List<String> modules) {
        StringBuilder insmod = new StringBuilder();
        for (String module : modules) {
            insmod.append("insmod /").append(moduleRoot).append('/').append(module).append(" || fail 'cannot load ")
                    .append(module).append("'\n");
        }
        return """
                #!/bin/sh
                # PID 1 of the vm image of %1$s until it execs the unikernel (written by ./unikernel image %1$s --format vm).
                # Kernel command line: jmirage_ip=A.B.C.D/N [jmirage_gateway=A.B.C.D] [jmirage_args="boot parameters"]
                # [jmirage_java_opts="JVM options"]; the boot parameters are split at spaces.
                export PATH=/bin
                fail() { echo "init: $1" >&2; poweroff -f; }
                mount -t proc proc /proc && mount -t sysfs sysfs /sys && mount -t devtmpfs devtmpfs /dev || fail 'cannot mount /proc, /sys, /dev'
                %2$sip link set lo up
                if [ -n "$jmirage_ip" ]; then
                  ip link set eth0 up && ip addr add "$jmirage_ip" dev eth0 || fail "cannot give eth0 the address $jmirage_ip"
                fi
                if [ -n "$jmirage_gateway" ]; then
                  ip route add default via "$jmirage_gateway" || fail "cannot route through $jmirage_gateway"
                fi
                export JMIRAGE_JAVA_OPTS="$jmirage_java_opts" HOME=/tmp
                unset jmirage_ip jmirage_gateway jmirage_java_opts
                read -r uptime _ < /proc/uptime
                echo "init: starting %1$s, $uptime s after the kernel started"
                exec /app/bin/%1$s $jmirage_args
                """.formatted(name, insmod);
    }

    /** run-qemu.sh: boots the image with its NIC on a TAP device of the host. */
    static String runScript(String name) {
        return """
                #!/bin/sh
                # Boots the vm image of %1$s: ./run-qemu.sh TAPDEV A.B.C.D/N [boot parameters...]
                # The TAP device must exist and be up (ip tuntap add dev TAPDEV mode tap; ip link set TAPDEV up).
                # The unikernel runs on the host target inside the VM, on the VM's eth0; its address is the
                # second argument. JMIRAGE_GATEWAY: a default route; JMIRAGE_JAVA_OPTS: JVM options;
                # QEMU_MEMORY (default 512M: the compressed and the unpacked initramfs are both in memory while the kernel unpacks); QEMU_OPTS: more qemu options (e.g. -accel kvm).
                # The VM powers off when the unikernel exits (panic=-1 with -no-reboot). The NIC gets no
                # boot ROM (romfile=): qemu loads the kernel itself.
                set -eu
                [ $# -ge 2 ] || { echo "usage: $0 TAPDEV A.B.C.D/N [boot parameters...]" >&2; exit 2; }
                case "$0" in */*) here="${0%%/*}" ;; *) here=. ;; esac
                here="$(cd "$here" && pwd)"
                tap="$1"; address="$2"; shift 2
                append="console=ttyS0 quiet panic=-1 rootfstype=ramfs jmirage_ip=$address"
                [ -z "${JMIRAGE_GATEWAY:-}" ] || append="$append jmirage_gateway=$JMIRAGE_GATEWAY"
                [ -z "${JMIRAGE_JAVA_OPTS:-}" ] || append="$append jmirage_java_opts=\\"$JMIRAGE_JAVA_OPTS\\""
                [ $# -eq 0 ] || append="$append jmirage_args=\\"$*\\""
                exec qemu-system-x86_64 -nographic -no-reboot -cpu max -m "${QEMU_MEMORY:-512M}" ${QEMU_OPTS:-} \\
                  -kernel "$here/vmlinuz" -initrd "$here/initramfs.cpio.gz" -append "$append" \\
                  -netdev tap,id=n0,ifname="$tap",script=no,downscript=no -device virtio-net-pci,netdev=n0,romfile=
                """.formatted(name);
    }

    /**
     * Every file of the dir image under {@code prefix}, keeping its permissions. The jars of
     * {@code lib/} keep their time stamp (the dir image's fixed one, which the AOT cache checks); the
     * rest gets {@link #EPOCH}, as jlink and the training run leave the time of their build.
     */
    static void addTree(CpioArchive archive, Path root, String prefix) throws IOException {
        Path jars = root.resolve("lib");
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        for (Path p : all) {
            String path = prefix + "/" + root.relativize(p).toString();
            // a jar, not a folder of lib/ (lib/native/ has the time of the build that made it)
            long mtime = p.getParent().equals(jars) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    ? Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000
                    : EPOCH;
            if (Files.isSymbolicLink(p)) {
                archive.add(new Entry.Symlink(path, Files.readSymbolicLink(p).toString(), mtime));
            } else if (Files.isDirectory(p)) {
                archive.add(new Entry.Directory(path, 0755, mtime));
            } else {
                archive.add(new Entry.File(path, Files.isExecutable(p) ? 0755 : 0644, mtime, Files.readAllBytes(p)));
            }
        }
    }

    private static void addParents(CpioArchive archive, String path) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            archive.add(new Entry.Directory(path.substring(0, slash), 0755, EPOCH));
        }
    }

    /**
     * A file of this machine at the same absolute path in the image, with each symbolic link on the
     * way ({@code /lib64} to {@code usr/lib64}, a library's soname to its file) kept as a link.
     */
    static void addHostPath(CpioArchive archive, Path file) throws IOException {
        Path current = file.getRoot();
        int count = file.getNameCount();
        for (int i = 0; i < count; i++) {
            current = current.resolve(file.getName(i).toString());
            String inImage = current.toString().substring(1);
            if (Files.isSymbolicLink(current)) {
                Path target = Files.readSymbolicLink(current);
                archive.add(new Entry.Symlink(inImage, target.toString(), EPOCH));
                Path resolved = current.getParent().resolve(target).normalize();
                addHostPath(archive, i + 1 < count ? resolved.resolve(file.subpath(i + 1, count).toString()) : resolved);
                return;
            }
            if (i + 1 < count) {
                archive.add(new Entry.Directory(inImage, 0755, EPOCH));
            } else {
                archive.add(new Entry.File(inImage, Files.isExecutable(current) ? 0755 : 0644, EPOCH, Files.readAllBytes(current)));
            }
        }
    }

    private static final Pattern LDD_LINE = Pattern.compile("^\\s*(\\S+)(?: => (\\S+|not found))?(?: \\(0x[0-9a-f]+\\))?\\s*$");

    /** The libraries outside the runtime that its programs and libraries load (ldd: the whole closure), sorted. */
    static Result<Set<Path>, VmImageError> sharedLibraries(Path runtime) throws IOException {
        List<Path> programs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(runtime)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so") || p.getParent().getFileName().toString().equals("bin"))
                    .sorted()
                    .forEach(programs::add);
        }
        // The JVM loads libjvm.so (in lib/server) before the other libraries, which name it without a path.
        String libraryPath = programs.stream().filter(p -> p.getFileName().toString().endsWith(".so"))
                .map(p -> p.getParent().toString()).distinct().collect(java.util.stream.Collectors.joining(":"));
        Set<Path> libraries = new TreeSet<>();
        Path runtimeReal = runtime.toRealPath();
        for (Path program : programs) {
            Result<String, VmImageError> ldd = run(List.of("env", "LD_LIBRARY_PATH=" + libraryPath, "ldd", program.toString()));
            if (ldd instanceof Result.Err<String, VmImageError>(VmImageError e)) {
                return Result.err(e);
            }
            for (String line : ((Result.Ok<String, VmImageError>) ldd).value().split("\n")) {
                Matcher m = LDD_LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String resolved = m.group(2) != null ? m.group(2) : m.group(1);
                if (resolved.equals("not found")) {
                    return Result.err(new VmImageError.MissingLibrary(program, m.group(1)));
                }
                if (!resolved.startsWith("/")) {
                    continue; // linux-vdso.so.1: the kernel's
                }
                Path library = Path.of(resolved);
                if (!library.toRealPath().startsWith(runtimeReal)) {
                    libraries.add(library);
                }
            }
        }
        return Result.ok(libraries);
    }

    private static Result<String, VmImageError> run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            int status = process.waitFor();
            // ldd says "not a dynamic executable" with status 1 for a script or a static program: nothing to add.
            if (status != 0 && !output.contains("not a dynamic executable")) {
                return Result.err(new VmImageError.ToolFailed(String.join(" ", command), output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.err(new VmImageError.ToolFailed(String.join(" ", command), "interrupted"));
        }
        return Result.ok(output);
    }
}
