package jmirage.core.params;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options and mixins a parameters class declares, read once per class. Reflection reaches only
 * the fields that carry our two annotations; no annotation proxy outlives the first description.
 */
final class Declarations {

    private Declarations() {}

    /**
     * A field of a parameters class that the command line reaches. Each kind binds itself (a method,
     * not a pattern switch in {@link Declarations#bind}: the parser runs at every boot, decision 23).
     */
    sealed interface Declared {

        /** Adds the options this field stands for in {@code owner} to {@code bound}. */
        void bind(Object owner, List<Bound> bound);

        record OptionField(OptionSpec spec, Field field) implements Declared {
            @Override
            public void bind(Object owner, List<Bound> bound) {
                bound.add(new Bound(spec, field, owner));
            }
        }

        record MixinField(Field field) implements Declared {
            @Override
            public void bind(Object owner, List<Bound> bound) {
                Object mixin = valueOf(field, owner);
                if (mixin == null) {
                    throw new IllegalStateException("@Mixin " + field + " holds no object");
                }
                bound.addAll(Declarations.bind(mixin));
            }
        }
    }

    /**
     * An option's field in the object that holds it (a parameters object or one of its mixins). A
     * class with identity, not a record: the parser keys maps by it, and a record's equals and
     * hashCode are an invokedynamic whose bootstrap generates method-handle classes at the first
     * boot-time call, which the AOT cache does not keep (decision 23).
     */
    static final class Bound {

        private final OptionSpec spec;
        private final Field field;
        private final Object owner;

        Bound(OptionSpec spec, Field field, Object owner) {
            this.spec = spec;
            this.field = field;
            this.owner = owner;
        }

        OptionSpec spec() {
            return spec;
        }

        Object value() {
            return valueOf(field, owner);
        }

        void set(Object value) {
            try {
                field.set(owner, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("made accessible when described: " + field, e);
            }
        }
    }

    private static final ClassValue<List<Declared>> BY_CLASS = new ClassValue<>() {
        @Override
        protected List<Declared> computeValue(Class<?> type) {
            return describe(type);
        }
    };

    /** Every option of {@code parameters}, each mixin's where the mixin field stands, in declaration order. */
    static List<Bound> bind(Object parameters) {
        List<Bound> bound = new ArrayList<>();
        for (Declared declared : BY_CLASS.get(parameters.getClass())) {
            declared.bind(parameters, bound);
        }
        return bound;
    }

    private static Object valueOf(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("made accessible when described: " + field, e);
        }
    }

    /**
     * The annotated fields of {@code type} itself (not of its superclasses), in the order the class
     * file lists them, which javac makes the order of the source (HotSpot keeps it; the JLS does not
     * promise it, so help's order rests on that).
     */
    private static List<Declared> describe(Class<?> type) {
        List<Declared> declared = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            boolean mixin = field.isAnnotationPresent(Mixin.class);
            if (option == null && !mixin) {
                continue;
            }
            if (Modifier.isStatic(field.getModifiers()) || (Modifier.isFinal(field.getModifiers()) && !mixin)) {
                throw new IllegalArgumentException(field + ": a parameter is an instance field, not final");
            }
            field.setAccessible(true);
            declared.add(option == null ? new Declared.MixinField(field)
                    : new Declared.OptionField(new OptionSpec(Arrays.asList(option.names()), option.paramLabel(),
                            ValueType.of(field), option.description()), field));
        }
        return List.copyOf(declared);
    }
}
