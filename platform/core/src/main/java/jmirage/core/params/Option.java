package jmirage.core.params;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A boot parameter: the field it annotates holds the value, its initialiser the default. The field's
 * type says how the value is read ({@link ValueType}): {@code int}, {@code long}, {@code String},
 * {@code boolean} (a flag), {@code List<String>} (repeatable) or an enum.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Option {

    /** The names on the command line, each with its dashes: {@code "--port"}. */
    String[] names();

    /** What the value is, for help and errors: {@code "N"}, {@code "IP[:PORT]"}. */
    String paramLabel() default "VALUE";

    /**
     * One paragraph for help. {@code ${DEFAULT-VALUE}} stands for the field's initial value and
     * {@code ${COMPLETION-CANDIDATES}} for an enum's labels, comma-separated.
     */
    String description() default "";
}
