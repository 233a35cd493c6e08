package jmirage.host;

import java.nio.file.Path;

/** The expected ways a host device fails to open at boot: a TAP interface, a block image, a pcap file. */
public sealed interface OpenError {

    /** Not a Linux interface name: 1 to 15 printable ASCII characters, no {@code /}. */
    record BadInterfaceName(String name) implements OpenError {}

    /** open(2) of {@code /dev/net/tun} failed with {@code errno}. */
    record TunUnavailable(int errno, String reason) implements OpenError {}

    /** TUNSETIFF on interface {@code tap} failed with {@code errno} (1 EPERM, 16 EBUSY, 22 EINVAL...). */
    record TapRefused(String tap, int errno, String reason) implements OpenError {}

    /** The block image does not exist. */
    record NoSuchFile(Path path) implements OpenError {}

    /** The file exists but this process may not open it as asked. */
    record PermissionDenied(Path path) implements OpenError {}

    /** The file could not be opened or written for another reason (the I/O error's message). */
    record Unusable(Path path, String reason) implements OpenError {}

    /** A block image whose size is not a positive multiple of the sector size. */
    record BadImageSize(Path path, long size, int sectorSize) implements OpenError {}

    default String describe() {
        return switch (this) {
            case BadInterfaceName(String name) -> "not an interface name (1 to 15 printable characters): '" + name + "'";
            case TunUnavailable(int errno, String reason) -> "cannot open /dev/net/tun: " + reason
                    + " (the tap target needs the tun module and permission to use it)";
            case TapRefused(String tap, int errno, String reason) -> "cannot attach to TAP interface " + tap + ": " + reason
                    + switch (errno) {
                        case 1 -> " (creating it needs CAP_NET_ADMIN: create it first with"
                                + " `ip tuntap add dev " + tap + " mode tap user USER`)";
                        case 16 -> " (another process is attached to it)";
                        case 22 -> " (is it a TUN interface rather than a TAP one?)";
                        default -> "";
                    };
            case NoSuchFile(Path path) -> path + ": no such file (create it with truncate -s SIZE)";
            case PermissionDenied(Path path) -> path + ": permission denied";
            case Unusable(Path path, String reason) -> path + ": " + reason;
            case BadImageSize(Path path, long size, int sectorSize) -> path + ": its size, " + size
                    + " bytes, is not a positive multiple of the sector size, " + sectorSize;
        };
    }
}
