package jmirage.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of an operation that can fail in an expected way: a value, or an error value.
 * Expected failures (a malformed packet, a missing key, a refused connection) are returned as
 * {@link Err}; exceptions are reserved for bugs.
 */
public sealed interface Result<T, E> {

    // Each operation is a method of Ok and of Err rather than a pattern switch over this: javac makes
    // every pattern switch an invokedynamic whose bootstrap (SwitchBootstraps.typeSwitch) generates a
    // class the first time it runs, which the JDK 25 AOT cache does not keep, and Result's operations
    // are on the boot path of every unikernel (decision 23).

    record Ok<T, E>(T value) implements Result<T, E> {

        @Override
        public <U> Result<U, E> map(Function<? super T, ? extends U> f) {
            return new Ok<>(f.apply(value));
        }

        @Override
        public <U> Result<U, E> flatMap(Function<? super T, Result<U, E>> f) {
            return f.apply(value);
        }

        @Override
        public <F> Result<T, F> mapError(Function<? super E, ? extends F> f) {
            return new Ok<>(value);
        }

        @Override
        public T orElse(T fallback) {
            return value;
        }

        @Override
        public T orElseThrow() {
            return value;
        }

        @Override
        public <X extends RuntimeException> T orElseThrow(Function<? super E, X> toException) {
            return value;
        }
    }

    record Err<T, E>(E error) implements Result<T, E> {
        public Err {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public <U> Result<U, E> map(Function<? super T, ? extends U> f) {
            return new Err<>(error);
        }

        @Override
        public <U> Result<U, E> flatMap(Function<? super T, Result<U, E>> f) {
            return new Err<>(error);
        }

        @Override
        public <F> Result<T, F> mapError(Function<? super E, ? extends F> f) {
            return new Err<>(f.apply(error));
        }

        @Override
        public T orElse(T fallback) {
            return fallback;
        }

        @Override
        public T orElseThrow() {
            throw new IllegalStateException("expected Ok, got Err: " + error);
        }

        @Override
        public <X extends RuntimeException> T orElseThrow(Function<? super E, X> toException) {
            throw toException.apply(error);
        }
    }

    static <T, E> Result<T, E> ok(T value) {
        return new Ok<>(value);
    }

    static <E> Result<Unit, E> ok() {
        return new Ok<>(Unit.UNIT);
    }

    static <T, E> Result<T, E> err(E error) {
        return new Err<>(error);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    <U> Result<U, E> map(Function<? super T, ? extends U> f);

    <U> Result<U, E> flatMap(Function<? super T, Result<U, E>> f);

    <F> Result<T, F> mapError(Function<? super E, ? extends F> f);

    T orElse(T fallback);

    /** The value, or an exception built from the error: for tests and for errors that are bugs. */
    T orElseThrow();

    /** The value, or the exception {@code toException} builds from the error. */
    <X extends RuntimeException> T orElseThrow(Function<? super E, X> toException);
}
