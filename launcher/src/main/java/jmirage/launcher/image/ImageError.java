package jmirage.launcher.image;

import java.util.List;

/** Why an image could not be built; {@link #describe()} is the one line {@code ./unikernel image} prints. */
public sealed interface ImageError {

    String describe();

    /** The launcher was not built: {@code launcher/target} lacks its jar. */
    record NotBuilt(String missing) implements ImageError {
        @Override
        public String describe() {
            return missing + " is missing: build first (./mvnw package -DskipTests, or ./unikernel list)";
        }
    }

    /** A tool (jdeps, jlink, java, ...) exited with a failure; the end of what it printed. */
    record ToolFailed(List<String> command, int status, String output) implements ImageError {
        public ToolFailed {
            command = List.copyOf(command);
        }

        @Override
        public String describe() {
            return command.getFirst() + " exited with status " + status + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    /** No jar of the launcher's {@code lib/}, or more than one, names the unikernel's class in its ServiceLoader file. */
    record NoProvider(String provider, String lib, List<String> providing) implements ImageError {
        public NoProvider {
            providing = List.copyOf(providing);
        }

        @Override
        public String describe() {
            return (providing.isEmpty() ? "no jar of " + lib : "more than one jar of " + lib + " (" + String.join(", ", providing) + ")")
                    + " provides " + provider + " in " + ImageJars.PROVIDERS + ": rebuild (./mvnw package -DskipTests)";
        }
    }

    /** A jar's class-path list ({@link ImageJars#LISTING}) names a jar that the launcher's {@code lib/} lacks. */
    record ListedJarMissing(String listedBy, String name, String lib) implements ImageError {
        @Override
        public String describe() {
            return listedBy + " needs " + name + ", which is not in " + lib
                    + ": a stale build, or two versions of one library (the parent pom's dependencyManagement chooses one)";
        }
    }

    /** Reading or writing the image's files failed. */
    record Io(String what, String reason) implements ImageError {
        @Override
        public String describe() {
            return what + ": " + reason;
        }
    }

    /** A signed jar whose signature does not verify: the image would hold what its signer did not sign. */
    record BadSignature(String jar, String reason) implements ImageError {
        @Override
        public String describe() {
            return jar + ": its signature does not verify (" + reason + "); the image is not built from it";
        }
    }

    /** The training run that records the AOT cache did not reach serving or did not stop cleanly. */
    record TrainingFailed(String reason) implements ImageError {
        @Override
        public String describe() {
            return "training run: " + reason;
        }
    }

    /** No {@link TrainingRecipe} says how to boot and exercise this unikernel for its AOT cache. */
    record NoTrainingRecipe(String unikernel) implements ImageError {
        @Override
        public String describe() {
            return "no training recipe for " + unikernel + ": add how to boot and exercise it to"
                    + " launcher/src/main/java/jmirage/launcher/image/TrainingRecipe.java";
        }
    }

    /** A file of the image that the SBOM cannot account for: a jar without Maven coordinates, a runtime without a release file. */
    record Unaccounted(String file, String reason) implements ImageError {
        @Override
        public String describe() {
            return "SBOM: " + file + ": " + reason;
        }
    }

    /** The vm format ({@link VmImage}) could not be made from the dir image: a kernel, module, busybox or library missing. */
    record VmFailed(VmImageError reason) implements ImageError {
        @Override
        public String describe() {
            return reason.describe();
        }
    }
}
