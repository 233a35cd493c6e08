package jmirage.authoritative.store;

import java.util.Optional;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.Name;

/**
 * One zone changed: added ({@code before} empty), replaced, or removed ({@code after} empty).
 * {@code secondary} tells a copy transferred from a primary from a zone of our own.
 */
public record ZoneChange(Name origin, Optional<Zone> before, Optional<Zone> after, boolean secondary) {}
