package jmirage.core.kv;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named store a unikernel claims beside its {@link Kv} (decision 19), with
 * {@link jmirage.core.DeviceProvider#store}: the operator gives it as {@code --store NAME=SPEC}.
 * The claim is the declaration: {@code --help} lists each claimed store with {@code why}, and a
 * {@code --store} of a name no claim has is refused before boot.
 *
 * @param name lower-case letters, digits and inner hyphens, at most 32 characters ({@code secrets})
 * @param why what the unikernel keeps there, one sentence for the help and for a boot refusal
 * @param required whether the unikernel boots without it (then the claim gives an empty store)
 */
public record StoreClaim(String name, String why, boolean required) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");

    public StoreClaim {
        Objects.requireNonNull(why);
        if (!isName(name)) {
            throw new IllegalArgumentException("a store name is lower-case letters, digits and inner hyphens: '" + name + "'");
        }
    }

    /** Whether {@code text} can name a store. */
    public static boolean isName(String text) {
        return text != null && NAME.matcher(text).matches();
    }
}
