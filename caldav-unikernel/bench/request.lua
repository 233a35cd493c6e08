-- wrk script for scripts/bench-caldav: every request is BENCH_METHOD on the URL given to wrk, with
-- Basic auth (BENCH_AUTH: base64 of user:password), an optional Depth header (BENCH_DEPTH) and an
-- optional XML body read from the file BENCH_BODY (a PROPFIND or REPORT body).
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["Authorization"] = "Basic " .. assert(os.getenv("BENCH_AUTH"), "BENCH_AUTH unset")
local depth = os.getenv("BENCH_DEPTH")
if depth and depth ~= "" then
  wrk.headers["Depth"] = depth
end
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = slurp(body)
  wrk.headers["Content-Type"] = "application/xml; charset=utf-8"
end
