package jmirage.caldav.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a user's calendar home ({@code /calendars/USER/}, RFC 4791 6.2.1) holds for them: their own
 * calendars, in name order, then the calendars others granted them, each once, as the alias
 * {@code CAL@OWNER}, only while the owner's calendar exists and the grant lets them read it. The
 * one definition of a home's members: a PROPFIND lists them and the home's sync follows them.
 */
public final class HomeView {

    /** Separates a shared calendar's name from its owner's in an alias: {@code work@alice}. */
    public static final char SHARE_SEPARATOR = '@';

    /** A member of the home: the path segment naming it there, the calendar, and what the user may do with it. */
    public record Member(String segment, Collection calendar, Access access) {

        /**
         * What the home's sync follows for this member: its ctag (so its events and its properties,
         * {@link Collection#ctag}) and the user's access (which its current-user-privilege-set shows).
         */
        public String version() {
            return calendar.ctag() + " " + access.name();
        }
    }

    private HomeView() {}

    public static List<Member> of(Store store, String user) {
        List<Member> out = new ArrayList<>();
        store.home(user).ifPresent(home -> home.calendars().values().forEach(c -> out.add(new Member(c.name(), c, Access.OWNER))));
        Set<String> seen = new HashSet<>();
        for (Shares.Grant grant : store.shares().grantsTo(user)) {
            if (grant.owner().equals(user)) {
                continue;
            }
            List<String> names = grant.calendar().equals(Shares.WHOLE_HOME)
                    ? store.home(grant.owner()).map(home -> List.copyOf(home.calendars().keySet())).orElse(List.of())
                    : List.of(grant.calendar());
            for (String name : names) {
                Access access = store.shares().access(user, grant.owner(), name);
                String segment = name + SHARE_SEPARATOR + grant.owner();
                if (access.canRead() && seen.add(segment)) {
                    store.calendar(grant.owner(), name).ifPresent(c -> out.add(new Member(segment, c, access)));
                }
            }
        }
        return List.copyOf(out);
    }
}
