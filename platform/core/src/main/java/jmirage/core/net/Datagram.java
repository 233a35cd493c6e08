package jmirage.core.net;

import jmirage.core.Bytes;

/** One UDP datagram as received. */
public record Datagram(Endpoint source, Endpoint destination, Bytes payload) {}
