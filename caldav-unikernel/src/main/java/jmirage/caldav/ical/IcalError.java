package jmirage.caldav.ical;

/**
 * Why a body is not a calendar object resource this server stores, or why a query cannot be
 * answered; each names the precondition of RFC 4791 that the 403 (or 400) response carries.
 */
public sealed interface IcalError {

    String describe();

    /** The CalDAV precondition element's local name, in the CalDAV namespace (RFC 4791 5.3.2.1, 7.8). */
    String precondition();

    /** Not iCalendar text, or invalid by RFC 5545. */
    record InvalidData(String detail) implements IcalError {
        public String describe() {
            return "invalid iCalendar data: " + detail;
        }

        public String precondition() {
            return "valid-calendar-data";
        }
    }

    /** Valid iCalendar but not one calendar object resource (RFC 4791 4.1: one UID, one kind, no METHOD). */
    record InvalidObject(String detail) implements IcalError {
        public String describe() {
            return "not a calendar object resource: " + detail;
        }

        public String precondition() {
            return "valid-calendar-object-resource";
        }
    }

    /**
     * A recurrence rule that would make more instances than the server expands (RFC 4791 5.2.8,
     * 5.3.2.1 CALDAV:max-instances): a COUNT over {@code limit}, or more than {@code limit}
     * candidates in one period of the rule.
     */
    record TooManyInstances(String detail, long limit) implements IcalError {
        public String describe() {
            return "too many recurrence instances: " + detail + " (limit " + limit + ")";
        }

        public String precondition() {
            return "max-instances";
        }
    }

    /** A component the collection does not take (its supported-calendar-component-set). */
    record UnsupportedComponent(ComponentKind kind) implements IcalError {
        public String describe() {
            return "this calendar does not take " + kind;
        }

        public String precondition() {
            return "supported-calendar-component";
        }
    }

    /** A filter of a calendar-query that is not valid (RFC 4791 9.7). */
    record InvalidFilter(String detail) implements IcalError {
        public String describe() {
            return "invalid filter: " + detail;
        }

        public String precondition() {
            return "valid-filter";
        }
    }

    /** A filter this server does not implement (an unknown collation: RFC 4791 7.5.1). */
    record UnsupportedFilter(String detail) implements IcalError {
        public String describe() {
            return "unsupported filter: " + detail;
        }

        public String precondition() {
            return "supported-filter";
        }
    }
}
