package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.store.Access;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.HomeSync;
import jmirage.caldav.store.HomeView;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.SyncLog;

/**
 * A resource that exists and that the requesting user may see, with what its properties are
 * computed from. {@link #resolve} is the one place that decides visibility: another user's home,
 * or a calendar without a grant, does not resolve (404: its existence is not disclosed).
 */
public sealed interface PropertiesSubject {

    String href();

    record Root(String href) implements PropertiesSubject {}

    record Principals(String href) implements PropertiesSubject {}

    /** {@code self}: the requesting user's own principal (all properties); else only the basic ones. */
    record Principal(String href, String user, boolean self) implements PropertiesSubject {}

    record Calendars(String href) implements PropertiesSubject {}

    /** The user's calendar home, with its sync state ({@link HomeSync}: its members are calendars). */
    record Home(String href, String user, SyncLog sync) implements PropertiesSubject {}

    record Calendar(String href, Target.Calendar target, Collection collection, Access access) implements PropertiesSubject {}

    record Object(String href, Calendar calendar, Resource resource) implements PropertiesSubject {}

    /** What {@code target} is for {@code user}, if it exists and they may see it. */
    static Optional<PropertiesSubject> resolve(Store store, String user, Target target) {
        return switch (target) {
            case Target.Root r -> Optional.of(new Root(r.href()));
            case Target.WellKnown w -> Optional.empty();
            case Target.Principals p -> Optional.of(new Principals(p.href()));
            case Target.Principal p -> principalExists(store, p.user())
                    ? Optional.of(new Principal(p.href(), p.user(), p.user().equals(user)))
                    : Optional.empty();
            case Target.Calendars c -> Optional.of(new Calendars(c.href()));
            case Target.Home h -> h.user().equals(user) ? Optional.of(new Home(h.href(), h.user(), HomeSync.log(store, user))) : Optional.empty();
            case Target.Calendar c -> calendar(store, user, c).map(PropertiesSubject.class::cast);
            case Target.Object o -> calendar(store, user, o.calendar())
                    .flatMap(cal -> Optional.ofNullable(cal.collection().members().get(o.name()))
                            .map(resource -> new Object(o.href(), cal, resource)));
        };
    }

    private static boolean principalExists(Store store, String user) {
        return store.users().names().contains(user) || store.home(user).isPresent();
    }

    /** A calendar the user reaches (their own, or an alias of one granted to them) and that exists. */
    private static Optional<Calendar> calendar(Store store, String user, Target.Calendar target) {
        return switch (Reach.of(store, user, target)) {
            case Reach.Found(Collection collection, Access access) -> Optional.of(new Calendar(target.href(), target, collection, access));
            case Reach.Missing m -> Optional.empty();
            case Reach.Hidden h -> Optional.empty();
        };
    }

    /** A calendar as a member of the home {@code h}: at its own name, or at its alias when shared. */
    static Calendar homeMember(Home h, HomeView.Member m) {
        Target.Calendar t = new Target.Calendar(Targets.calendarHref(h.user(), m.calendar().owner(), m.calendar().name()), h.user(),
                m.calendar().owner(), m.calendar().name());
        return new Calendar(t.href(), t, m.calendar(), m.access());
    }

    /** The members a Depth: 1 request lists after the subject itself (RFC 4918 9.1), those the user may see. */
    static List<PropertiesSubject> members(Store store, String user, PropertiesSubject subject) {
        List<PropertiesSubject> out = new ArrayList<>();
        switch (subject) {
            case Root r -> { }
            case Principals p -> {
                for (String name : store.users().names()) {
                    out.add(new Principal(Targets.principalHref(name), name, name.equals(user)));
                }
            }
            case Principal p -> { }
            case Calendars c -> {
                if (principalExists(store, user)) {
                    out.add(new Home(Targets.homeHref(user), user, HomeSync.log(store, user)));
                }
            }
            case Home h -> {
                for (HomeView.Member m : HomeView.of(store, h.user())) {
                    out.add(homeMember(h, m));
                }
            }
            case Calendar c -> {
                for (Resource resource : c.collection().members().values()) {
                    out.add(new Object(Targets.objectHref(c.target(), resource.name()), c, resource));
                }
            }
            case Object o -> { }
        }
        return out;
    }
}
