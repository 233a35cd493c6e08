package jmirage.launcher.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Result;

/**
 * {@code --format oci}: an OCI image layout (image-spec 1.1: {@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/}) made from the dir image (this build's, built first when there is none: {@link
 * DirImage#currentOrBuilt}), runnable by podman or by runc/crun on a bundle that
 * {@code umoci unpack} makes. The base is scratch: one layer holds the host's shared libraries that
 * the runtime's ELF files (and the native libraries of {@code lib/native}, and the shell that runs
 * {@code bin/NAME}, and the programs it runs) link to, at the paths the dynamic loader gives them,
 * plus {@code /tmp}; the second holds the dir image under {@code /app}, with {@code /app/var} owned by
 * the container's user so that the default store ({@code var/NAME} under the image) can be created.
 * It runs as uid and gid 65532; the entry point is {@code /app/bin/NAME}, so the container's
 * arguments are the boot parameters.
 *
 * <p>The layout is written here rather than with Jib core: Jib writes an image to a registry, a
 * Docker daemon or a tar file, not to a layout folder, and would bring its HTTP client, Guava and
 * Jackson into the launcher for what is a few hundred lines of tar and JSON. Two builds on one host
 * give the same bytes ({@link TarLayer}; the JSON has no time and fixed member order).
 */
public final class OciImage implements ImageFormat {

    /** The user and group the container runs as: distroless's "nonroot". */
    static final int USER_ID = 65532;

    private static final List<String> SYSTEM_PATH = List.of("/usr/bin", "/bin");

    @Override
    public String name() {
        return "oci";
    }

    @Override
    public Result<Path, ImageError> build(ImageRequest request) {
        Path from = request.output(DirImage.NAME);
        if (DirImage.currentOrBuilt(request) instanceof Result.Err<Path, ImageError>(ImageError error)) {
            return Result.err(error);
        }
        Path out = request.output(name());
        try {
            return write(from, request.unikernel(), out, request);
        } catch (IOException e) {
            return Result.err(new ImageError.Io(out.toString(), String.valueOf(e.getMessage())));
        }
    }

    private static Result<Path, ImageError> write(Path from, String unikernel, Path out, ImageRequest request)
            throws IOException {
        deleteTree(out);
        Path blobs = Files.createDirectories(out.resolve("blobs").resolve("sha256"));
        Path launch = from.resolve("bin").resolve(unikernel);
        Optional<Path> shell = interpreter(launch);

        List<Path> programs = new ArrayList<>(SharedLibraries.elfFiles(from.resolve("runtime")));
        programs.addAll(SharedLibraries.elfFiles(from.resolve("lib"))); // the native libraries taken out of jars (NativeLibraries)
        shell.ifPresent(s -> programs.add(s.toAbsolutePath()));
        Set<String> ownNames;
        try (Stream<Path> files = Files.walk(from)) {
            ownNames = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .collect(Collectors.toSet());
        }
        request.progress().println("oci: ldd on " + programs.size() + " ELF files");
        var found = SharedLibraries.of(programs, List.of(from.toRealPath(), from), ownNames);
        if (!(found instanceof Result.Ok<SortedSet<Path>, ImageError>(SortedSet<Path> libraries))) {
            return Result.err(((Result.Err<SortedSet<Path>, ImageError>) found).error());
        }

        TarLayer system = new TarLayer(0).directory("tmp", 01777, 0);
        for (Path library : libraries) {
            system.file(relative(library), library, true);
        }
        shell.ifPresent(s -> system.file(relative(s), s, true));
        // the jars keep the time the AOT cache recorded (DirImage.JAR_TIME); the rest of /app shares it
        TarLayer app = new TarLayer(DirImage.JAR_TIME.toInstant().getEpochSecond())
                .directory("app/var", 0755, USER_ID);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted().toList()) {
                if (file.equals(from)) {
                    continue;
                }
                String path = "app/" + from.relativize(file).toString().replace('\\', '/');
                if (Files.isDirectory(file)) {
                    app.directory(path, 0755, path.equals("app/var") ? USER_ID : 0);
                } else {
                    app.file(path, file, Files.isExecutable(file));
                }
            }
        }
        request.progress().println("oci: " + libraries.size() + " shared libraries of the host, "
                + app.paths().size() + " entries of the dir image");
        TarLayer.Blob systemBlob = system.writeTo(blobs);
        TarLayer.Blob appBlob = app.writeTo(blobs);

        Descriptor config = blob(blobs, "application/vnd.oci.image.config.v1+json",
                config(unikernel, List.of(systemBlob, appBlob)));
        Descriptor manifest = blob(blobs, "application/vnd.oci.image.manifest.v1+json",
                manifest(config, List.of(systemBlob, appBlob)));
        Files.write(out.resolve("index.json"), JsonWriter.write(index(manifest)).getBytes(StandardCharsets.UTF_8));
        Files.write(out.resolve("oci-layout"),
                JsonWriter.write(obj("imageLayoutVersion", str("1.0.0"))).getBytes(StandardCharsets.UTF_8));
        return Result.ok(out);
    }

    /** A blob's media type, digest and size: how a manifest or an index points to it. */
    record Descriptor(String mediaType, String digest, long size) {
        Json json() {
            return obj("mediaType", str(mediaType), "digest", str(digest), "size", num(size));
        }
    }

    /** The tag {@code index.json} gives the image: {@code umoci unpack --image DIR:latest}, {@code podman run oci:DIR:latest}. */
    static final String TAG = "latest";

    static Json config(String unikernel, List<TarLayer.Blob> layers) {
        return obj(
                "architecture", str("amd64"),
                "os", str("linux"),
                "config", obj(
                        "User", str(USER_ID + ":" + USER_ID),
                        "Env", arr(List.of(str("PATH=/app/runtime/bin:" + String.join(":", SYSTEM_PATH)))),
                        "Entrypoint", arr(List.of(str("/app/bin/" + unikernel))),
                        "WorkingDir", str("/app")),
                "rootfs", obj(
                        "type", str("layers"),
                        "diff_ids", arr(layers.stream().map(l -> (Json) str(l.diffId())).toList())));
    }

    static Json manifest(Descriptor config, List<TarLayer.Blob> layers) {
        return obj(
                "schemaVersion", num(2),
                "mediaType", str("application/vnd.oci.image.manifest.v1+json"),
                "config", config.json(),
                "layers", arr(layers.stream()
                        .map(l -> new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l.digest(), l.size()).json())
                        .toList()));
    }

    static Json index(Descriptor manifest) {
        return obj(
                "schemaVersion", num(2),
                "mediaType", str("application/vnd.oci.image.index.v1+json"),
                "manifests", arr(List.of(obj(
                        "mediaType", str(manifest.mediaType()),
                        "digest", str(manifest.digest()),
                        "size", num(manifest.size()),
                        "annotations", obj("org.opencontainers.image.ref.name", str(TAG))))));
    }

    private static Descriptor blob(Path blobs, String mediaType, Json value) throws IOException {
        byte[] bytes = JsonWriter.write(value).getBytes(StandardCharsets.UTF_8);
        var sha = TarLayer.sha256();
        sha.update(bytes);
        String hex = TarLayer.hex(sha);
        Files.write(blobs.resolve(hex), bytes);
        return new Descriptor(mediaType, "sha256:" + hex, bytes.length);
    }

    /**
     * The interpreter named by a script's {@code #!} line, if {@code launch} is a script; a script
     * run by {@code /usr/bin/env} cannot be packed, since what env would find is not known here.
     */
    static Optional<Path> interpreter(Path launch) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(launch, StandardCharsets.ISO_8859_1)) {
            String first = Optional.ofNullable(in.readLine()).orElse("");
            if (!first.startsWith("#!")) {
                return Optional.empty();
            }
            String[] words = first.substring(2).strip().split("\\s+");
            if (words[0].endsWith("/env")) {
                throw new IOException(launch + " starts with '" + first + "': an image from scratch needs the interpreter's own path");
            }
            return Optional.of(Path.of(words[0]));
        }
    }

    private static String relative(Path absolute) {
        return absolute.toString().substring(1);
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Json str(String value) {
        return new Json.Str(value);
    }

    private static Json num(long value) {
        return new Json.Num(java.math.BigDecimal.valueOf(value));
    }

    private static Json arr(List<Json> items) {
        return new Json.Arr(items);
    }

    private static Json.Obj obj(Object... namesAndValues) {
        Map<String, Json> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.put((String) namesAndValues[i], (Json) namesAndValues[i + 1]);
        }
        return new Json.Obj(members);
    }
}
