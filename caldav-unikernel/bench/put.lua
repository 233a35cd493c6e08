-- wrk script for scripts/bench-caldav: PUT of new calendar object resources, a unique name and UID
-- per request (BENCH_RUN, the wrk thread and a counter), If-None-Match: * as clients send for a new
-- resource (RFC 4791 5.3.2), into the collection whose path wrk is given (ending in '/').
-- Basic auth from BENCH_AUTH (base64 of user:password).
local run = os.getenv("BENCH_RUN") or "0"
local auth = "Basic " .. assert(os.getenv("BENCH_AUTH"), "BENCH_AUTH unset")
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local counter = 0

local template = table.concat({
  "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//jmirage//bench put//EN",
  "BEGIN:VEVENT", "UID:@NAME@@jmirage.test", "DTSTAMP:20260101T120000Z",
  "DTSTART:20260312T090000Z", "DTEND:20260312T100000Z",
  "SUMMARY:Benchmark PUT @NAME@", "LOCATION:Room 4.12",
  "DESCRIPTION:Written by wrk for the CalDAV benchmark.",
  "END:VEVENT", "END:VCALENDAR", ""}, "\r\n")

function request()
  counter = counter + 1
  local name = string.format("put-%s-%d-%d", run, tid or 0, counter)
  local body = template:gsub("@NAME@", name)
  return wrk.format("PUT", wrk.path .. name .. ".ics", {
    ["Authorization"] = auth,
    ["Content-Type"] = "text/calendar; charset=utf-8",
    ["If-None-Match"] = "*",
  }, body)
end
