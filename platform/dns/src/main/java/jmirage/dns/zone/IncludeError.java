package jmirage.dns.zone;

/** Why an {@link MasterFile.IncludeResolver} gave no text for a {@code $INCLUDE} path. */
public sealed interface IncludeError {

    /** This parse takes no includes (zones received over the network, keys, tests). */
    record NotAllowed() implements IncludeError {}

    /** Nothing at {@code path} in the folder the resolver serves. */
    record NotFound(String path) implements IncludeError {}

    /** The file exists but could not be read; {@code cause} is what the storage said. */
    record Unreadable(String path, String cause) implements IncludeError {}

    default String describe() {
        return switch (this) {
            case NotAllowed() -> "$INCLUDE is not allowed here";
            case NotFound(String path) -> path + " not found";
            case Unreadable(String path, String cause) -> path + " unreadable: " + cause;
        };
    }
}
