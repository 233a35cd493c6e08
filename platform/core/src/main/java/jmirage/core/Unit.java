package jmirage.core;

/** The value of an operation that succeeds with nothing to say, as OCaml's {@code unit}. */
public enum Unit {
    UNIT
}
