package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.HomeView;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.SyncLog;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;
import jmirage.http.HttpResponse;

/**
 * DAV:sync-collection (RFC 6578 3) on a calendar, whose members are its objects, and on the
 * calendar home, whose members are the calendars it holds ({@link HomeView}: the user's own and
 * the aliases of those shared with them). From an empty token every member; from a token this
 * server handed out, the members changed since (with the properties asked for) and those gone (a
 * response with status 404, RFC 6578 3.5.2); the answer ends with the new token.
 */
final class ReportSync {

    private ReportSync() {}

    static HttpResponse handle(DavRequest request, PropertiesSubject.Calendar calendar, Element body, DavConfig config) {
        Collection collection = calendar.collection();
        // RFC 6578 3.3: "infinite" also reports members of child collections; a calendar has none,
        // so both levels give the same answer
        return answer(request, body, config, true, collection.sync(), collection.members().keySet(),
                (what, name) -> {
                    Resource resource = collection.members().get(name);
                    return resource == null ? Optional.empty() : Optional.of(PropertiesResponse.of(what.context(),
                            new PropertiesSubject.Object(Targets.objectHref(calendar.target(), name), calendar, resource), what.properties()));
                },
                name -> Targets.objectHref(calendar.target(), name));
    }

    /**
     * On the home: a calendar made, changed (an event, a property: its ctag), or shared with the user
     * (or its access changed) is a member reported with its properties; one deleted, renamed away or
     * no longer shared is reported 404.
     */
    static HttpResponse handle(DavRequest request, Store store, PropertiesSubject.Home home, Element body, DavConfig config) {
        Map<String, HomeView.Member> members = new TreeMap<>();
        HomeView.of(store, home.user()).forEach(m -> members.put(m.segment(), m));
        // RFC 6578 3.3: "infinite" would report the calendars' objects too; not offered on the home
        return answer(request, body, config, false, home.sync(), members.keySet(),
                (what, segment) -> Optional.ofNullable(members.get(segment))
                        .map(m -> PropertiesResponse.of(what.context(), PropertiesSubject.homeMember(home, m), what.properties())),
                segment -> Targets.homeHref(home.user()) + Targets.encode(segment) + "/");
    }

    /** A member's response with the properties asked, or empty when it is gone. */
    private interface Member {
        Optional<Element> response(Reports.Asked what, String name);
    }

    private static HttpResponse answer(DavRequest request, Element body, DavConfig config, boolean infiniteLevel, SyncLog sync,
                                       Set<String> names, Member member, Function<String, String> hrefOfGone) {
        Optional<PropertiesRequest.Depth> depth = PropertiesRequest.depth(request.headers(), PropertiesRequest.Depth.ZERO);
        // RFC 6578 3.2 asks for Depth: 0; Depth: 1 is accepted too as some clients send it
        if (depth.isEmpty() || depth.get() == PropertiesRequest.Depth.INFINITY) {
            return HttpResponse.text(400, "a sync-collection is sent with Depth: 0");
        }
        String level = body.element(DavNames.SYNC_LEVEL).map(e -> e.text().strip()).orElse("1");
        if (level.equals("infinite") && !infiniteLevel) {
            // RFC 6578 3.3: a level the collection does not support
            return DavResponses.condition(403, DavNames.dav("sync-traversal-supported"));
        }
        if (!level.equals("1") && !level.equals("infinite")) {
            return HttpResponse.text(400, "sync-level is 1 or infinite");
        }
        Result<Reports.Asked, HttpResponse> asked = Reports.asked(body, request.user(), config,
                new PropertiesRequest.Named(List.of(Element.of(DavNames.GETETAG))));
        if (asked instanceof Result.Err<Reports.Asked, HttpResponse>(HttpResponse refusal)) {
            return refusal;
        }
        Reports.Asked what = asked.orElseThrow();
        String token = body.element(DavNames.SYNC_TOKEN).map(e -> e.text().strip()).orElse("");
        List<Element> responses = new ArrayList<>();
        if (token.isEmpty()) {
            for (String name : names) {
                member.response(what, name).ifPresent(responses::add);
            }
        } else {
            Optional<Set<String>> changed = sync.changedSince(token);
            if (changed.isEmpty()) {
                // RFC 6578 3.2: a token the server does not know (or no longer keeps history for)
                return DavResponses.condition(403, DavNames.VALID_SYNC_TOKEN);
            }
            for (String name : changed.get().stream().sorted().toList()) {
                responses.add(member.response(what, name).orElseGet(() -> PropertiesResponse.status(hrefOfGone.apply(name), 404)));
            }
        }
        Optional<Integer> limit = Reports.limit(body);
        if (limit.isPresent() && responses.size() > limit.get()) {
            // RFC 6578 3.6 (RFC 5323 5.17): a limit the server does not honour by paging gets 507
            return DavResponses.condition(507, DavNames.dav("number-of-matches-within-limits"));
        }
        responses.add(Element.text(DavNames.SYNC_TOKEN, sync.token()));
        return DavResponses.xml(207, Element.of(DavNames.MULTISTATUS, responses));
    }
}
