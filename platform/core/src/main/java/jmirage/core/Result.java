package jmirage.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of an operation that can fail in an expected way: a value, or an error value.
 * Expected failures (a malformed packet, a missing key, a refused connection) are returned as
 * {@link Err}; exceptions are reserved for bugs.
 */
public sealed interface Result<T, E> {

    record Ok<T, E>(T value) implements Result<T, E> {}

    record Err<T, E>(E error) implements Result<T, E> {
        public Err {
            Objects.requireNonNull(error, "error");
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

    default <U> Result<U, E> map(Function<? super T, ? extends U> f) {
        return switch (this) {
            case Ok<T, E>(T value) -> new Ok<>(f.apply(value));
            case Err<T, E>(E error) -> new Err<>(error);
        };
    }

    default <U> Result<U, E> flatMap(Function<? super T, Result<U, E>> f) {
        return switch (this) {
            case Ok<T, E>(T value) -> f.apply(value);
            case Err<T, E>(E error) -> new Err<>(error);
        };
    }

    default <F> Result<T, F> mapError(Function<? super E, ? extends F> f) {
        return switch (this) {
            case Ok<T, E>(T value) -> new Ok<>(value);
            case Err<T, E>(E error) -> new Err<>(f.apply(error));
        };
    }

    default T orElse(T fallback) {
        return this instanceof Ok<T, E>(T value) ? value : fallback;
    }

    /** The value, or an exception built from the error: for tests and for errors that are bugs. */
    default T orElseThrow() {
        return switch (this) {
            case Ok<T, E>(T value) -> value;
            case Err<T, E>(E error) -> throw new IllegalStateException("expected Ok, got Err: " + error);
        };
    }

    /** The value, or the exception {@code toException} builds from the error. */
    default <X extends RuntimeException> T orElseThrow(Function<? super E, X> toException) {
        return switch (this) {
            case Ok<T, E>(T value) -> value;
            case Err<T, E>(E error) -> throw toException.apply(error);
        };
    }
}
