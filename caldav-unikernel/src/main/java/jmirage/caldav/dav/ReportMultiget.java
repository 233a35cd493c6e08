package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;
import jmirage.http.HttpResponse;

/**
 * CALDAV:calendar-multiget (RFC 4791 7.9): the objects named by DAV:href, each with the
 * properties asked for; an href that names nothing this user may read gets its own 404 response.
 */
final class ReportMultiget {

    private ReportMultiget() {}

    static HttpResponse handle(Store store, DavRequest request, Element body, DavConfig config) {
        List<Element> hrefs = body.elements(DavNames.HREF);
        if (hrefs.isEmpty()) {
            // RFC 4791 9.10: at least one href
            return HttpResponse.text(400, "a calendar-multiget names at least one DAV:href");
        }
        Result<Reports.Asked, HttpResponse> asked = Reports.asked(body, request.user(), config,
                new PropertiesRequest.Named(List.of(Element.of(DavNames.GETETAG))));
        if (asked instanceof Result.Err<Reports.Asked, HttpResponse>(HttpResponse refusal)) {
            return refusal;
        }
        Reports.Asked what = asked.orElseThrow();
        List<Element> responses = new ArrayList<>(hrefs.size());
        long text = 0;
        for (Element href : hrefs) {
            String sent = href.text().strip();
            if (text > ReportQuery.MAX_ANSWER_CHARS) {
                responses.add(PropertiesResponse.status(sent, 507));
                continue;
            }
            Optional<PropertiesSubject> object = Targets.pathOfHref(sent)
                    .flatMap(path -> Targets.resolve(path, request.user()))
                    .filter(Target.Object.class::isInstance)
                    .flatMap(target -> PropertiesSubject.resolve(store, request.user(), target));
            Element response = object.isPresent()
                    ? PropertiesResponse.of(what.context(), object.get(), what.properties())
                    : PropertiesResponse.status(sent, 404);
            text += DavResponses.textSize(response);
            // past the bound of one answer (ReportQuery.MAX_ANSWER_CHARS), this href and those left are 507 each
            responses.add(text > ReportQuery.MAX_ANSWER_CHARS ? PropertiesResponse.status(sent, 507) : response);
        }
        return DavResponses.multistatus(responses);
    }
}
