package jmirage.caldav.ical;

/** The calendar components a collection may hold (RFC 4791 5.2.3). */
public enum ComponentKind { VEVENT, VTODO, VJOURNAL }
