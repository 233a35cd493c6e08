package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlError;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * The property instructions of a request body, in document order: DAV:propertyupdate (RFC 4918
 * 14.19, set and remove), CALDAV:mkcalendar (RFC 4791 9.1) and DAV:mkcol (RFC 5689 5.1), both set
 * only. And the propstat answer of an update: all or nothing (RFC 4918 9.2), so when one property
 * fails the others are 424 Failed Dependency.
 */
final class PropertyUpdate {

    /** Set (or remove) {@code property}; for a removal only its name counts. */
    record Instruction(boolean set, Element property) {
        XmlName name() {
            return property.name();
        }
    }

    /** Why one property of an update failed: its status in the propstat, and the condition element if there is one. */
    record Failure(int status, Optional<Element> condition) {
        /** 403 with a precondition (RFC 4918 9.2.1). */
        static Failure forbidden(Element condition) {
            return new Failure(403, Optional.of(condition));
        }

        /** RFC 4918 9.2.1: 507, "the server did not have sufficient space to record the property". */
        static Failure insufficientStorage() {
            return new Failure(507, Optional.empty());
        }
    }

    private PropertyUpdate() {}

    /** The instructions of {@code body}, whose root must be {@code root}. */
    static Result<List<Instruction>, Refusal> read(Bytes body, XmlName root, boolean removals) {
        Result<Element, XmlError> parsed = XmlReader.parse(body);
        if (parsed instanceof Result.Err<Element, XmlError>(XmlError error)) {
            return Result.err(new Refusal.BadXml(error));
        }
        Element document = parsed.orElseThrow();
        if (!document.name().equals(root)) {
            return Result.err(new Refusal.BadRequest("expected a " + root + " document, not " + document.name()));
        }
        List<Instruction> instructions = new ArrayList<>();
        for (Element child : document.elements().toList()) {
            boolean set = child.name().equals(DavNames.SET);
            if (!set && !(removals && child.name().equals(DavNames.REMOVE))) {
                return Result.err(new Refusal.BadRequest("unexpected " + child.name() + " in " + root));
            }
            for (Element prop : child.elements(DavNames.PROP)) {
                prop.elements().forEach(property -> instructions.add(new Instruction(set, property)));
            }
        }
        return Result.ok(instructions);
    }

    /**
     * The propstats of an update: when nothing failed, every property 200; otherwise each failed
     * one with its status (403 with its condition, or 507) and every other 424 (RFC 4918 9.2.1).
     */
    static List<Element> propstats(List<Instruction> instructions, Map<XmlName, Failure> failures) {
        List<XmlName> names = instructions.stream().map(Instruction::name).distinct().toList();
        if (failures.isEmpty()) {
            return names.isEmpty() ? List.of() : List.of(DavResponses.propstat(names, 200, Optional.empty()));
        }
        List<Element> out = new ArrayList<>();
        failures.forEach((name, failure) -> out.add(DavResponses.propstat(List.of(name), failure.status(), failure.condition())));
        List<XmlName> dependent = names.stream().filter(n -> !failures.containsKey(n)).toList();
        if (!dependent.isEmpty()) {
            out.add(DavResponses.propstat(dependent, 424, Optional.empty()));
        }
        return out;
    }

    /** A new map of failures, kept in document order. */
    static Map<XmlName, Failure> failures() {
        return new LinkedHashMap<>();
    }
}
