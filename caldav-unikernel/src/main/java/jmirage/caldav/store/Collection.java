package jmirage.caldav.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlWriter;

/**
 * A calendar collection of a user's home: the components it takes (set at MKCALENDAR, protected
 * afterwards), its dead properties (displayname, calendar-color, calendar-order, description,
 * timezone: whatever clients set with PROPPATCH, kept as the XML they sent), its members by name,
 * and its synchronisation history. Immutable: a change makes a new Collection.
 */
public record Collection(String owner, String name, Set<ComponentKind> components, SortedMap<XmlName, Element> deadProperties,
                         SortedMap<String, Resource> members, SyncLog sync, Instant created, Instant lastModified) {

    public Collection {
        components = Set.copyOf(components);
        deadProperties = Collections.unmodifiableSortedMap(new TreeMap<>(deadProperties));
        members = members instanceof ImmutableSorted.Wrapped<String, Resource> ? members : ImmutableSorted.copyOf(members);
    }

    /** This collection with {@code resource} stored (added or replaced) at {@code now}. */
    public Collection withMember(Resource resource, Instant now) {
        TreeMap<String, Resource> copy = new TreeMap<>(members);
        Resource previous = copy.put(resource.name(), resource);
        return new Collection(owner, name, components, deadProperties, ImmutableSorted.adopt(copy),
                sync.record(resource.name(), previous == null ? null : previous.etag(), resource.etag()), created, now);
    }

    /** This collection without the member {@code memberName} (which must exist). */
    public Collection withoutMember(String memberName, Instant now) {
        TreeMap<String, Resource> copy = new TreeMap<>(members);
        Resource removed = copy.remove(memberName);
        return new Collection(owner, name, components, deadProperties, ImmutableSorted.adopt(copy),
                sync.record(memberName, removed == null ? null : removed.etag(), null), created, now);
    }

    public Collection withDeadProperties(Map<XmlName, Element> properties, Instant now) {
        return new Collection(owner, name, components, new TreeMap<>(properties), members, sync, created, now);
    }

    /**
     * CalendarServer's getctag: Apple Calendar and Thunderbird read the calendar again (its name
     * and colour too) only when it changes, so it follows the dead properties as well as the
     * members. The sync token must not (RFC 6578 4: it reflects the members only), so the ctag is
     * the token, then, when the calendar has dead properties, "-" and 8 hex digits of a SHA-256
     * of them. The calendar home's sync follows it too ({@link HomeSync}).
     */
    public String ctag() {
        String token = sync.token();
        if (deadProperties.isEmpty()) {
            return token;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Element property : deadProperties.values()) {
                sha.update(XmlWriter.fragment(property).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return token + "-" + HexFormat.of().formatHex(sha.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Sorted and unmodifiable; a marker so that records built from one another do not copy again. */
    static final class ImmutableSorted {
        private ImmutableSorted() {}

        static <K, V> SortedMap<K, V> copyOf(SortedMap<K, V> map) {
            return adopt(new TreeMap<>(map));
        }

        static <K, V> SortedMap<K, V> adopt(TreeMap<K, V> map) {
            return new Wrapped<>(map);
        }

        @SuppressWarnings("serial")
        static final class Wrapped<K, V> extends java.util.AbstractMap<K, V> implements SortedMap<K, V> {
            private final SortedMap<K, V> inner;

            Wrapped(TreeMap<K, V> map) {
                this.inner = Collections.unmodifiableSortedMap(map);
            }

            @Override public java.util.Comparator<? super K> comparator() { return inner.comparator(); }
            @Override public SortedMap<K, V> subMap(K from, K to) { return inner.subMap(from, to); }
            @Override public SortedMap<K, V> headMap(K to) { return inner.headMap(to); }
            @Override public SortedMap<K, V> tailMap(K from) { return inner.tailMap(from); }
            @Override public K firstKey() { return inner.firstKey(); }
            @Override public K lastKey() { return inner.lastKey(); }
            @Override public Set<Entry<K, V>> entrySet() { return inner.entrySet(); }
            @Override public V get(Object key) { return inner.get(key); }
            @Override public boolean containsKey(Object key) { return inner.containsKey(key); }
            @Override public int size() { return inner.size(); }
        }
    }
}
