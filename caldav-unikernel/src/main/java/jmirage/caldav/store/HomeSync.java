package jmirage.caldav.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RFC 6578 on a calendar home: its members are the calendars of {@link HomeView}, each versioned
 * by its ctag and the user's access ({@link HomeView.Member#version}), so the home's sync token
 * changes when a calendar is made, deleted, renamed (one gone, one new), changes an event or a
 * property, or when a grant gives, takes away or changes a shared calendar. Defined by the content
 * like a calendar's ({@link SyncLog}): the same store gives the same token after a restart.
 *
 * <p>The history behind a home's token is recorded by {@link #follow} on every change of the store
 * (a request's, a reload's), kept in {@link Store#homeLogs()}, and written at a clean stop to
 * {@code calendars/USER/.sync-history} ({@link SyncHistoryFile#homeKey}), read back at boot when it
 * leads to the content loaded. Pure.
 */
public final class HomeSync {

    private HomeSync() {}

    /** The log {@code user}'s home answers with: the one recorded, while it is the content's; else the content's, without history. */
    public static SyncLog log(Store store, String user) {
        SyncLog content = SyncLog.ofVersions(versions(store, user));
        SyncLog recorded = store.homeLogs().get(user);
        return recorded != null && recorded.token().equals(content.token()) ? recorded : content;
    }

    /** Each member of {@code user}'s home by its segment, with its version. */
    static Map<String, String> versions(Store store, String user) {
        Map<String, String> out = new TreeMap<>();
        for (HomeView.Member m : HomeView.of(store, user)) {
            out.put(m.segment(), m.version());
        }
        return out;
    }

    /**
     * {@code after} with each user's home log carried on from {@code before}: the members whose
     * version differs recorded as changes (removals first, then additions and changes, in name
     * order). Only the users whose home can have changed are looked at: every user when the users
     * or the shares changed, else the owners of the homes that changed and those they share with.
     */
    public static Store follow(Store before, Store after) {
        Set<String> affected = affected(before, after);
        if (affected.isEmpty()) {
            return after.homeLogs().equals(before.homeLogs()) ? after : after.withHomeLogs(before.homeLogs());
        }
        Map<String, SyncLog> logs = new HashMap<>(before.homeLogs());
        for (String user : affected) {
            Map<String, String> was = versions(before, user);
            Map<String, String> now = versions(after, user);
            if (was.equals(now)) {
                continue;
            }
            SyncLog log = log(before, user);
            for (Map.Entry<String, String> old : was.entrySet()) {
                if (!now.containsKey(old.getKey())) {
                    log = log.record(old.getKey(), old.getValue(), null);
                }
            }
            for (Map.Entry<String, String> fresh : now.entrySet()) {
                log = log.record(fresh.getKey(), was.get(fresh.getKey()), fresh.getValue());
            }
            logs.put(user, log);
        }
        return after.withHomeLogs(logs);
    }

    private static Set<String> affected(Store before, Store after) {
        Set<String> users = new TreeSet<>();
        if (before.users() != after.users() || before.shares() != after.shares()) {
            users.addAll(before.users().names());
            users.addAll(after.users().names());
            users.addAll(before.homes().keySet());
            users.addAll(after.homes().keySet());
            return users;
        }
        Set<String> owners = new TreeSet<>();
        Set<String> all = new TreeSet<>(before.homes().keySet());
        all.addAll(after.homes().keySet());
        for (String owner : all) {
            if (before.homes().get(owner) != after.homes().get(owner)) {
                owners.add(owner);
            }
        }
        if (owners.isEmpty()) {
            return users;
        }
        users.addAll(owners);
        for (String user : after.users().names()) {
            if (after.shares().grantsTo(user).stream().anyMatch(g -> owners.contains(g.owner()))) {
                users.add(user);
            }
        }
        return users;
    }
}
