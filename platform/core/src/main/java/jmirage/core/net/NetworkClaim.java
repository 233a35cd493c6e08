package jmirage.core.net;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A network a unikernel claims by the role it gives it (decision 20), with
 * {@link jmirage.core.DeviceProvider#network}: a router's {@code uplink} and {@code private}. The
 * operator attaches each with {@code --net NAME=DEV,...} on the tap target. The claim is the
 * declaration: {@code --help} lists each claimed network with {@code why}, a {@code --net} of a name
 * no claim has is refused before boot, and a claimed network not given refuses the boot.
 *
 * @param name lower-case letters, digits and inner hyphens, at most 15 characters (a Linux interface name's length)
 * @param why what the unikernel does on it, one sentence for the help and for a boot refusal
 */
public record NetworkClaim(String name, String why) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

    public NetworkClaim {
        Objects.requireNonNull(why);
        if (!isName(name)) {
            throw new IllegalArgumentException("a network name is lower-case letters, digits and inner hyphens, at most 15: '"
                    + name + "'");
        }
    }

    /** Whether {@code text} can name a network. */
    public static boolean isName(String text) {
        return text != null && NAME.matcher(text).matches();
    }
}
