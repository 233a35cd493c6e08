#!/usr/bin/python3
"""A python3-caldav session against a CalDAV server, as a user of the library writes it.

Usage: python_caldav_flow.py ROOT-URL USER PASSWORD CALENDAR-ID [--short]

Discovers the calendar home from the server's root URL, makes a calendar, adds events (a weekly
series with an overridden and an excluded instance, an all-day event, one to change, one to
delete), searches March 2026 by time range with expansion, asks for free-busy, keeps a todo
list, and syncs with sync-collection before and after a change. With --short: discovery, the calendar, the events and the month's search only (the tap test).

Every check that fails is recorded, the session goes on where it can, and the last line printed is
one JSON object: {"results": {...}, "failures": [...]}. Exit status 1 when a check failed.
"""
import json
import sys
import traceback
from datetime import datetime, timezone

import caldav
from dateutil import tz

ROOT, USER, PASSWORD, CAL_ID = sys.argv[1:5]
SHORT = "--short" in sys.argv[5:]

results = {}
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def step(name):
    """Runs the decorated function at once as one step; an exception fails the step, not the session."""
    def run(function):
        try:
            results[name] = function()
        except Exception as e:  # the library raises its own error types for every HTTP failure
            failures.append("%s: %s: %s" % (name, type(e).__name__, e))
            traceback.print_exc(file=sys.stderr)
        return function
    return run


def utc(*fields):
    return datetime(*fields, tzinfo=timezone.utc)


def vcalendar(*components):
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//jmirage interop//python3-caldav//EN\r\n" \
        + "".join(components) + "END:VCALENDAR\r\n"


STAMP = "DTSTAMP:20260101T000000Z\r\n"

# Mondays 10:00-11:00 UTC from 2 March 2026, ten weeks; 16 March moved to 14:00, 23 March cancelled.
WEEKLY = vcalendar(
    "BEGIN:VEVENT\r\nUID:weekly@interop\r\n" + STAMP + "DTSTART:20260302T100000Z\r\nDTEND:20260302T110000Z\r\n"
    "SUMMARY:Weekly sync\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE:20260323T100000Z\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:weekly@interop\r\n" + STAMP + "RECURRENCE-ID:20260316T100000Z\r\n"
    "DTSTART:20260316T140000Z\r\nDTEND:20260316T150000Z\r\nSUMMARY:Weekly sync (moved)\r\nEND:VEVENT\r\n")
ALL_DAY = vcalendar(
    "BEGIN:VEVENT\r\nUID:allday@interop\r\n" + STAMP + "DTSTART;VALUE=DATE:20260320\r\nDTEND;VALUE=DATE:20260321\r\n"
    "SUMMARY:Holiday\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n")
TO_CHANGE = vcalendar(
    "BEGIN:VEVENT\r\nUID:dentist@interop\r\n" + STAMP + "DTSTART:20260305T080000Z\r\nDTEND:20260305T090000Z\r\n"
    "SUMMARY:Dentist\r\nEND:VEVENT\r\n")
TO_DELETE = vcalendar(
    "BEGIN:VEVENT\r\nUID:cancelled@interop\r\n" + STAMP + "DTSTART:20260311T120000Z\r\nDTEND:20260311T130000Z\r\n"
    "SUMMARY:Lunch that will not happen\r\nEND:VEVENT\r\n")
# April: outside the month searched
APRIL = vcalendar(
    "BEGIN:VEVENT\r\nUID:april@interop\r\n" + STAMP + "DTSTART:20260415T090000Z\r\nDTEND:20260415T100000Z\r\n"
    "SUMMARY:April meeting\r\nEND:VEVENT\r\n")


def todo(uid, summary, due):
    return vcalendar("BEGIN:VTODO\r\nUID:%s\r\n%sSUMMARY:%s\r\nDUE:%s\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\n"
                     % (uid, STAMP, summary, due))


client = caldav.DAVClient(url=ROOT, username=USER, password=PASSWORD)
state = {}


@step("discovery")
def discovery():
    principal = client.principal()
    state["principal"] = principal
    home = principal.calendar_home_set
    return {"principal": str(principal.url), "home": str(home.url)}


@step("make_calendar")
def make_calendar():
    calendar = state["principal"].make_calendar(name="Interop " + CAL_ID, cal_id=CAL_ID)
    state["calendar"] = calendar
    names = [c.name for c in state["principal"].calendars()]
    check("Interop " + CAL_ID in names, "the new calendar is listed by principal.calendars(): %s" % names)
    return {"url": str(calendar.url), "listed": names}


@step("add_events")
def add_events():
    calendar = state["calendar"]
    saved = {}
    for key, data in (("weekly", WEEKLY), ("allday", ALL_DAY), ("change", TO_CHANGE), ("delete", TO_DELETE),
                      ("april", APRIL)):
        saved[key] = calendar.save_event(data)
    state["events"] = saved
    uids = sorted(str(e.vobject_instance.vevent.uid.value) for e in calendar.events())
    check(len(uids) == 5, "five events listed after adding five: %s" % uids)
    return {"listed": uids}


@step("change_event")
def change_event():
    event = state["calendar"].event_by_uid("dentist@interop")
    event.vobject_instance.vevent.summary.value = "Dentist (rescheduled)"
    # vobject writes a UTC time only from dateutil's tzutc
    event.vobject_instance.vevent.dtstart.value = datetime(2026, 3, 6, 8, tzinfo=tz.tzutc())
    event.vobject_instance.vevent.dtend.value = datetime(2026, 3, 6, 9, tzinfo=tz.tzutc())
    event.save()
    again = state["calendar"].event_by_uid("dentist@interop")
    summary = str(again.vobject_instance.vevent.summary.value)
    check(summary == "Dentist (rescheduled)", "the changed summary reads back: %s" % summary)
    return {"summary": summary, "start": again.vobject_instance.vevent.dtstart.value.isoformat()}


@step("delete_event")
def delete_event():
    state["calendar"].event_by_uid("cancelled@interop").delete()
    uids = sorted(str(e.vobject_instance.vevent.uid.value) for e in state["calendar"].events())
    check("cancelled@interop" not in uids and len(uids) == 4, "the deleted event is gone: %s" % uids)
    return {"listed": uids}


MARCH = (utc(2026, 3, 1), utc(2026, 4, 1))


@step("search_march_expanded")
def search_march_expanded():
    calendar = state["calendar"]
    # What the server answers, before the library would expand anything itself
    xml, comp_class = calendar.build_search_xml_query(event=True, expand=True, start=MARCH[0], end=MARCH[1])
    _, raw = calendar._request_report_build_resultlist(xml, comp_class)
    raw_data = [o.data for o in raw]
    server_expanded = all("RRULE" not in d for d in raw_data)
    check(server_expanded, "the server expanded the series (no RRULE in calendar-data with <expand>)")
    instances = []
    for o in calendar.search(event=True, expand=True, start=MARCH[0], end=MARCH[1]):
        e = o.vobject_instance.vevent
        instances.append({"uid": str(e.uid.value), "start": str(e.dtstart.value), "summary": str(e.summary.value)})
    instances.sort(key=lambda i: (i["start"], i["uid"]))
    weekly = [i for i in instances if i["uid"] == "weekly@interop"]
    # 2, 9, 16 (moved to 14:00), 30 March: the 23rd is excluded
    check(len(weekly) == 4, "four weekly instances in March (one excluded): %s" % weekly)
    check(any(i["summary"] == "Weekly sync (moved)" and "14:00" in i["start"] for i in weekly),
          "the overridden instance on 16 March at 14:00: %s" % weekly)
    check(not any("2026-03-23" in i["start"] for i in weekly), "no instance on the excluded 23 March: %s" % weekly)
    uids = sorted({i["uid"] for i in instances})
    check(uids == ["allday@interop", "dentist@interop", "weekly@interop"],
          "March holds the series, the all-day event and the changed one, not April's nor the deleted one: %s" % uids)
    return {"server_expanded": server_expanded, "raw_objects": len(raw_data), "instances": instances}


if not SHORT:
    @step("freebusy")
    def freebusy():
        fb = state["calendar"].freebusy_request(utc(2026, 3, 9), utc(2026, 3, 17))
        data = fb.data
        periods = sorted(line.split(":", 1)[1].strip() for line in data.replace("\r\n ", "").splitlines()
                         if line.startswith("FREEBUSY"))
        # 9 March 10-11, 16 March moved to 14-15 (the original 10:00 is not busy); the all-day event is transparent
        joined = ",".join(periods)
        check("20260309T100000Z/" in joined, "busy on 9 March at 10:00: %s" % periods)
        check("20260316T140000Z/" in joined, "busy on 16 March at 14:00 (the moved instance): %s" % periods)
        check("20260316T100000Z/" not in joined, "free on 16 March at 10:00 (moved away): %s" % periods)
        check("20260311T120000Z/" not in joined, "free on 11 March at 12:00 (deleted): %s" % periods)
        return {"periods": periods}

    @step("todos")
    def todos():
        calendar = state["calendar"]
        for n, (summary, due) in enumerate((("Buy milk", "20260302T170000Z"), ("File taxes", "20260315T170000Z"),
                                            ("Call mum", "20260308T170000Z"))):
            calendar.save_todo(todo("todo-%d@interop" % n, summary, due))
        calendar.todo_by_uid("todo-0@interop").complete()
        pending = sorted(str(t.vobject_instance.vtodo.summary.value) for t in calendar.todos())
        everything = sorted(str(t.vobject_instance.vtodo.summary.value) for t in calendar.todos(include_completed=True))
        check(pending == ["Call mum", "File taxes"], "two todos pending after completing one: %s" % pending)
        check(len(everything) == 3, "three todos with the completed one: %s" % everything)
        by_due = [str(t.vobject_instance.vtodo.summary.value)
                  for t in calendar.search(todo=True, include_completed=True, sort_keys=("due",))]
        check(by_due == ["Buy milk", "Call mum", "File taxes"], "todos sorted by due date: %s" % by_due)
        events_only = calendar.search(event=True, start=MARCH[0], end=MARCH[1])
        check(all("VTODO" not in e.data for e in events_only), "an event search returns no todo")
        return {"pending": pending, "all": everything}

    @step("sync_collection")
    def sync_collection():
        # the library's sync-collection body puts sync-level before sync-token (RFC 6578 6.1 lists the token first)
        calendar = state["calendar"]
        collection = calendar.objects_by_sync_token(load_objects=True)
        first = len(list(collection))
        check(first == 7, "the first sync lists the four events and three todos: %d" % first)
        calendar.save_event(vcalendar(
            "BEGIN:VEVENT\r\nUID:synced@interop\r\n" + STAMP + "DTSTART:20260325T100000Z\r\nDTEND:20260325T110000Z\r\n"
            "SUMMARY:Added between syncs\r\nEND:VEVENT\r\n"))
        calendar.event_by_uid("allday@interop").delete()
        updated, deleted = collection.sync()
        updated_uids = sorted(str(o.icalendar_instance.walk("VEVENT")[0]["UID"]) for o in updated)
        check(updated_uids == ["synced@interop"], "the second sync brings the added event only: %s" % updated_uids)
        check(len(deleted) == 1, "the second sync reports the deleted event: %d" % len(deleted))
        return {"first": first, "updated": updated_uids, "deleted": len(deleted)}

print(json.dumps({"results": results, "failures": failures}))
sys.exit(1 if failures else 0)
