package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Result;

/**
 * The image's bill of materials, {@code sbom.cdx.json} in its folder: CycloneDX 1.6 JSON, written from
 * what the image holds, not from the build's declarations. Each jar of {@code lib/} is a library
 * component (group, name, version and {@code pkg:maven} purl from the {@code pom.properties} Maven put
 * inside it, else from where the same bytes are in the local Maven repository; SHA-256 of the file);
 * each native library of {@code lib/native/STEM/} ({@link NativeLibraries}) is one too, with the
 * coordinates of the jar {@code STEM.jar} of the local repository that holds the same bytes, that jar
 * its ancestor; the jlink runtime of {@code runtime/} is a platform component
 * (version and modules from {@code runtime/release}, SHA-256 of {@code runtime/lib/modules}) whose
 * modules are its components. Reproducible: no timestamp, components in file-name order, and the
 * serial number is a name-based UUID (RFC 4122 4.3) of the components, so equal images give equal
 * SBOMs and a changed byte in a jar changes the serial number.
 */
public final class Sbom {

    public static final String FILE = "sbom.cdx.json";

    private Sbom() {}

    /**
     * Writes {@value #FILE} into {@code image}, accounting for the jars and runtime of {@code contents}
     * (the image's own folder for {@code dir}; the folder whose files a format packs, otherwise).
     * {@code mavenRepository} (the build's local repository) names the jars that carry no
     * {@code pom.properties}: the one file there of the same name and the same bytes.
     */
    public static Result<Path, ImageError> write(String unikernel, Path contents, Path image, Path mavenRepository) {
        Path lib = contents.resolve("lib");
        Path runtime = contents.resolve("runtime");
        List<Path> jars;
        try (Stream<Path> list = Files.list(lib)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return Result.err(new ImageError.Io("listing " + lib, e.toString()));
        }
        List<Json> components = new ArrayList<>();
        Optional<String> version = Optional.empty();
        for (Path jar : jars) {
            Result<Library, ImageError> library = library(jar, mavenRepository);
            switch (library) {
                case Result.Err<Library, ImageError>(ImageError error) -> {
                    return Result.err(error);
                }
                case Result.Ok<Library, ImageError>(Library found) -> {
                    components.add(found.json());
                    if (found.group().equals("jmirage") && found.artifact().equals("launcher")) {
                        version = Optional.of(found.version());
                    }
                }
            }
        }
        if (version.isEmpty()) {
            return Result.err(new ImageError.Unaccounted(lib.toString(), "no launcher jar (jmirage:launcher) in it"));
        }
        List<Path> libraries;
        try {
            libraries = NativeLibraries.inImage(lib);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("listing " + lib.resolve(NativeLibraries.FOLDER), e.toString()));
        }
        for (Path library : libraries) {
            switch (nativeLibrary(library, lib, mavenRepository)) {
                case Result.Err<Library, ImageError>(ImageError error) -> {
                    return Result.err(error);
                }
                case Result.Ok<Library, ImageError>(Library found) -> components.add(found.json());
            }
        }
        if (Files.isDirectory(runtime)) {
            Result<Json, ImageError> jdk = runtime(runtime);
            switch (jdk) {
                case Result.Err<Json, ImageError>(ImageError error) -> {
                    return Result.err(error);
                }
                case Result.Ok<Json, ImageError>(Json found) -> components.add(found);
            }
        }
        String body = JsonWriter.write(Json.array(components));
        UUID serial = UUID.nameUUIDFromBytes(body.getBytes(StandardCharsets.UTF_8));
        Json bom = Json.object(
                "bomFormat", Json.string("CycloneDX"),
                "specVersion", Json.string("1.6"),
                "serialNumber", Json.string("urn:uuid:" + serial),
                "version", Json.number(1),
                "metadata", Json.object("component", Json.object(
                        "type", Json.string("application"),
                        "bom-ref", Json.string("unikernel:" + unikernel),
                        "name", Json.string(unikernel),
                        "version", Json.string(version.get()))),
                "components", Json.array(components));
        Path file = image.resolve(FILE);
        try {
            Files.writeString(file, JsonWriter.write(bom) + "\n", StandardCharsets.UTF_8);
            return Result.ok(file);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("writing " + file, e.toString()));
        }
    }

    /**
     * A file of the image with the Maven coordinates of the jar it is or comes from, and its digest;
     * {@code ancestor}, when the file is not the jar of the repository itself (CycloneDX's pedigree).
     * {@code part}: the entry of that jar the file is, for a native library, which its bom-ref names.
     */
    record Library(String group, String artifact, String version, Optional<String> classifier, String sha256,
                   Optional<Ancestor> ancestor, Optional<String> part) {

        /** The jar this file was made from: its digest, and how. */
        record Ancestor(String sha256, String notes) {}

        Library(String group, String artifact, String version, Optional<String> classifier, String sha256) {
            this(group, artifact, version, classifier, sha256, Optional.empty(), Optional.empty());
        }

        Library unsigned(String imageSha256) {
            return new Library(group, artifact, version, classifier, imageSha256, Optional.of(new Ancestor(sha256,
                    "the signed jar with its signature verified at build time, then removed"
                            + " (META-INF signature files, the manifest's per-entry digests): decision 18")), Optional.empty());
        }

        Library extracted(String entry, String fileSha256) {
            return new Library(group, artifact, version, classifier, fileSha256, Optional.of(new Ancestor(sha256,
                    "the native library " + entry + " of this jar, taken out of it at build time so that the JVM"
                            + " loads it from the image (java.library.path) instead of Netty copying it to /tmp at every boot")),
                    Optional.of(entry));
        }

        String purl() {
            return "pkg:maven/" + group + "/" + artifact + "@" + version + classifier.map(c -> "?classifier=" + c).orElse("");
        }

        Json json() {
            List<Object> fields = new ArrayList<>(List.of(
                    "type", Json.string("library"),
                    "bom-ref", Json.string(purl() + part.map(p -> "#" + p).orElse("")),
                    "group", Json.string(group),
                    "name", Json.string(artifact),
                    "version", Json.string(version),
                    "hashes", Json.array(List.of(hash(sha256))),
                    "purl", Json.string(purl())));
            ancestor.ifPresent(from -> fields.addAll(List.of("pedigree", Json.object(
                    "ancestors", Json.array(List.of(Json.object(
                            "type", Json.string("library"),
                            "group", Json.string(group),
                            "name", Json.string(artifact),
                            "version", Json.string(version),
                            "hashes", Json.array(List.of(hash(from.sha256()))),
                            "purl", Json.string(purl())))),
                    "notes", Json.string(from.notes())))));
            return Json.object(fields.toArray());
        }
    }

    /**
     * A native library {@code lib/native/STEM/FILE}: the jar {@code STEM.jar} of {@code mavenRepository}
     * whose {@code META-INF/native/FILE} has the same bytes, with its coordinates.
     */
    static Result<Library, ImageError> nativeLibrary(Path library, Path lib, Path mavenRepository) {
        Optional<String> from = NativeLibraries.jarOf(lib, library);
        if (from.isEmpty()) {
            return Result.err(new ImageError.Unaccounted(library.toString(), "a native library is lib/native/JAR-STEM/FILE"));
        }
        String jarName = from.get();
        String file = library.getFileName().toString();
        try {
            byte[] bytes = Files.readAllBytes(library);
            for (Path jar : named(mavenRepository, jarName)) {
                Optional<byte[]> entry = NativeLibraries.entry(jar, file);
                if (entry.isPresent() && Arrays.equals(entry.get(), bytes)) {
                    String digest = sha256(library);
                    return library(jar, mavenRepository).map(of -> of.extracted(NativeLibraries.RESOURCE_HOME + file, digest));
                }
            }
            return Result.err(new ImageError.Unaccounted(library.toString(), mavenRepository + " has no " + jarName
                    + " whose " + NativeLibraries.RESOURCE_HOME + file + " has these bytes"));
        } catch (IOException e) {
            return Result.err(new ImageError.Io("reading " + library, e.toString()));
        }
    }

    /**
     * The coordinates of the {@code pom.properties} whose artifact and version the jar's file name
     * starts with ({@code ARTIFACT-VERSION[-CLASSIFIER].jar}, as Maven names what it copies); a jar may
     * hold several (shaded ones), the file name says which is its own.
     */
    static Result<Library, ImageError> library(Path jar, Path mavenRepository) {
        String fileName = jar.getFileName().toString();
        String stem = fileName.substring(0, fileName.length() - ".jar".length());
        try (JarFile file = new JarFile(jar.toFile())) {
            List<Properties> poms = new ArrayList<>();
            for (var entry : file.stream().filter(e -> e.getName().startsWith("META-INF/maven/")
                    && e.getName().endsWith("/pom.properties")).sorted((a, b) -> a.getName().compareTo(b.getName())).toList()) {
                Properties properties = new Properties();
                try (InputStream in = file.getInputStream(entry)) {
                    properties.load(in);
                }
                poms.add(properties);
            }
            String imageDigest = sha256(jar);
            Optional<String> unsignedFrom = UnsignedJar.origin(file);
            String digest = unsignedFrom.orElse(imageDigest);
            Result<Library, ImageError> found = coordinates(jar, fileName, stem, poms, digest, mavenRepository);
            return unsignedFrom.isPresent() ? found.map(library -> library.unsigned(imageDigest)) : found;
        } catch (IOException e) {
            return Result.err(new ImageError.Io("reading " + jar, e.toString()));
        }
    }

    /** The coordinates of a jar whose bytes (or whose signed original's, for an unsigned copy) have {@code digest}. */
    private static Result<Library, ImageError> coordinates(Path jar, String fileName, String stem, List<Properties> poms,
                                                           String digest, Path mavenRepository) throws IOException {
        for (Properties pom : poms) {
            String group = pom.getProperty("groupId", "");
            String artifact = pom.getProperty("artifactId", "");
            String version = pom.getProperty("version", "");
            String own = artifact + "-" + version;
            if (group.isEmpty() || artifact.isEmpty() || version.isEmpty()) {
                continue;
            }
            if (stem.equals(own) || stem.equals(artifact)) {
                return Result.ok(new Library(group, artifact, version, Optional.empty(), digest));
            }
            if (stem.startsWith(own + "-")) {
                return Result.ok(new Library(group, artifact, version, Optional.of(stem.substring(own.length() + 1)), digest));
            }
        }
        Optional<Library> inRepository = inRepository(jar, fileName, digest, mavenRepository);
        if (inRepository.isPresent()) {
            return Result.ok(inRepository.get());
        }
        return Result.err(new ImageError.Unaccounted(jar.toString(), (poms.isEmpty()
                ? "it holds no META-INF/maven/**/pom.properties"
                : "none of its pom.properties names an artifact and version its file name starts with")
                + ", and " + mavenRepository + " has no file of its name and bytes"));
    }

    /**
     * Bouncy Castle's jars, ical4j's and others carry no {@code pom.properties}: their coordinates are
     * where Maven put the same bytes, {@code REPOSITORY/GROUP/PATH/ARTIFACT/VERSION/FILE}.
     */
    private static Optional<Library> inRepository(Path jar, String fileName, String digest, Path repository)
            throws IOException {
        for (Path candidate : named(repository, fileName)) {
            Path versionDir = candidate.getParent();
            Path artifactDir = versionDir.getParent();
            Path groupDir = artifactDir.getParent();
            String version = versionDir.getFileName().toString();
            String artifact = artifactDir.getFileName().toString();
            String stem = fileName.substring(0, fileName.length() - ".jar".length());
            if (groupDir.startsWith(repository) && !groupDir.equals(repository) && stem.startsWith(artifact + "-" + version)
                    && sha256(candidate).equals(digest)) {
                String group = repository.relativize(groupDir).toString().replace('/', '.');
                String rest = stem.substring((artifact + "-" + version).length());
                Optional<String> classifier = rest.startsWith("-") ? Optional.of(rest.substring(1)) : Optional.empty();
                return Optional.of(new Library(group, artifact, version, classifier, digest));
            }
        }
        return Optional.empty();
    }

    /** The files called {@code fileName} in the local Maven repository, in path order; none without one. */
    private static List<Path> named(Path repository, String fileName) throws IOException {
        if (!Files.isDirectory(repository)) {
            return List.of();
        }
        try (Stream<Path> found = Files.find(repository, 12, (p, attributes) -> attributes.isRegularFile()
                && p.getFileName().toString().equals(fileName))) {
            return found.sorted().toList();
        }
    }

    /** The jlink runtime: {@code release}'s JAVA_VERSION and MODULES (jlink writes both). */
    static Result<Json, ImageError> runtime(Path runtime) {
        Path release = runtime.resolve("release");
        Path modules = runtime.resolve("lib").resolve("modules");
        try {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(release)) {
                properties.load(in);
            }
            String version = unquote(properties.getProperty("JAVA_VERSION", ""));
            List<String> names = Arrays.stream(unquote(properties.getProperty("MODULES", "")).split(" "))
                    .filter(m -> !m.isEmpty()).sorted().toList();
            if (version.isEmpty() || names.isEmpty()) {
                return Result.err(new ImageError.Unaccounted(release.toString(), "no JAVA_VERSION or no MODULES in it"));
            }
            List<Json> moduleComponents = names.stream().map(m -> (Json) Json.object(
                    "type", Json.string("library"),
                    "bom-ref", Json.string("jdk-module:" + m),
                    "name", Json.string(m),
                    "version", Json.string(version))).toList();
            return Result.ok(Json.object(
                    "type", Json.string("platform"),
                    "bom-ref", Json.string("jdk:" + version),
                    "name", Json.string("OpenJDK"),
                    "version", Json.string(version),
                    "description", Json.string("Java runtime made by jlink of the modules below"),
                    "hashes", Json.array(List.of(hash(sha256(modules)))),
                    "components", Json.array(moduleComponents)));
        } catch (IOException e) {
            return Result.err(new ImageError.Io("reading the runtime " + runtime, e.toString()));
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static Json hash(String sha256) {
        return Json.object("alg", Json.string("SHA-256"), "content", Json.string(sha256));
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
