package jmirage.authoritative.store;

import java.util.List;
import java.util.stream.Collectors;
import jmirage.core.net.NetError;

/** Why zone management did not start. */
public sealed interface ZoneManagementError {
    /** Options refused, every one of them. */
    record Options(List<ZoneOptionError> errors) implements ZoneManagementError {
        public Options {
            errors = List.copyOf(errors);
        }
    }

    /** The store could not be read or seeded. */
    record Store(StoreError error) implements ZoneManagementError {}

    /** The socket NOTIFY is sent from could not be bound. */
    record NotifySocket(NetError error) implements ZoneManagementError {}

    default String describe() {
        return switch (this) {
            case Options o -> o.errors().stream().map(ZoneOptionError::describe).collect(Collectors.joining("; "));
            case Store s -> s.error().describe();
            case NotifySocket n -> "notify socket: " + n.error().describe();
        };
    }
}
