package jmirage.caldav.xml;

/** A node of an XML document once parsed: an element or a run of text. Comments and processing instructions are dropped. */
public sealed interface Node permits Element, Text {}
