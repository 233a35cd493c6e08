package jmirage.caldav.ical;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryImpl;

/**
 * The time zones of one parse. A TZID the JDK knows (Europe/Berlin; Mozilla's old
 * "/mozilla.org/20050126_1/Europe/Berlin"; an old name ical4j keeps an alias for) is read with the
 * JDK's rules, as other CalDAV servers do; only a zone of the client's own invention is built from
 * its VTIMEZONE. That matters beyond correctness: ical4j gives each VTIMEZONE it builds a zone id
 * from a global pool (1500 by default, released when the parse is garbage), so registering every
 * VTIMEZONE of thousands of cached objects would exhaust the pool and fail later parses.
 */
final class ZoneRegistry implements TimeZoneRegistry {

    private final TimeZoneRegistryImpl custom = new TimeZoneRegistryImpl();

    @Override
    public void register(TimeZone timezone) {
        register(timezone, false);
    }

    @Override
    public void register(TimeZone timezone, boolean update) {
        // An observance recurring too often (FREQ=SECONDLY) would make building the zone walk it for
        // hours: such a zone is not registered, and Validation refuses the object (Recurrences).
        if (known(timezone.getID()).isEmpty() && Recurrences.bounded(timezone.getVTimeZone())) {
            // Never an update from the network, whatever the caller asks (ical4j.properties disables it too).
            custom.register(timezone, false);
        }
    }

    @Override
    public void clear() {
        custom.clear();
    }

    @Override
    public TimeZone getTimeZone(String id) {
        return custom.getTimeZone(id);
    }

    @Override
    public Map<String, ZoneRules> getZoneRules() {
        // Never empty: ical4j reads an empty registry as "resolve TZIDs globally", which skips
        // getZoneId below and fails on prefixed ids such as Mozilla's.
        Map<String, ZoneRules> all = new HashMap<>(custom.getZoneRules());
        all.putIfAbsent("UTC", ZoneOffset.UTC.getRules());
        return all;
    }

    @Override
    public ZoneId getZoneId(String tzId) {
        return known(tzId).orElseGet(() -> custom.getZoneId(tzId));
    }

    @Override
    public String getTzId(String zoneId) {
        return custom.getTzId(zoneId);
    }

    /** The JDK zone a TZID names, if any. */
    static Optional<ZoneId> known(String tzId) {
        if (tzId == null) {
            return Optional.empty();
        }
        String id = tzId.strip();
        if (id.startsWith("\"") && id.endsWith("\"") && id.length() > 1) {
            id = id.substring(1, id.length() - 1);
        }
        Optional<ZoneId> direct = jdk(id);
        if (direct.isPresent()) {
            return direct;
        }
        String alias = TimeZoneRegistry.ZONE_ALIASES.get(id);
        if (alias != null && jdk(alias).isPresent()) {
            return jdk(alias);
        }
        // Mozilla's and Lotus Notes' prefixed ids end in a region/city pair.
        String[] parts = id.split("/");
        if (parts.length > 2) {
            return jdk(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
        }
        return Optional.empty();
    }

    private static Optional<ZoneId> jdk(String id) {
        if (id.isEmpty() || id.startsWith("ical4j")) {
            return Optional.empty();
        }
        try {
            ZoneId zone = ZoneId.of(id);
            // ical4j registers ids of its own with java.time: only the tz database's count here.
            return zone.getId().startsWith("ical4j") ? Optional.empty() : Optional.of(zone);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
