package jmirage.core.params;

/**
 * An option and the value its field holds now: on a fresh parameters object, the default.
 *
 * @param spec the option
 * @param value the field's value (boxed), null when the field holds none
 */
public record OptionValue(OptionSpec spec, Object value) {

    /** The help paragraph, with this value as the default. */
    public String description() {
        return spec.description(value);
    }
}
