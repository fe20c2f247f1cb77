-- One agent per thread (one connection each), each seated at its own counter: call next, start serving,
-- finish, and again. Prints the rate of call-next requests that called someone.
local threads = {}
local index = 0

function setup(thread)
  index = index + 1
  thread:set("cookie", os.getenv("AGENT" .. index .. "_COOKIE"))
  thread:set("csrf", os.getenv("AGENT" .. index .. "_CSRF"))
  table.insert(threads, thread)
end

step, ticket, calls, empty, failures = "call", nil, 0, 0, 0

function request()
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }
  local body = "csrf_token=" .. csrf
  if step == "call" then
    return wrk.format("POST", "/staff/offices/TRN/call-next", headers, body)
  end
  return wrk.format("POST", "/staff/offices/TRN/tickets/" .. ticket .. "/" .. step, headers, body)
end

function response(status, headers, body)
  if status ~= 303 then failures = failures + 1 end
  if step == "call" then
    local location = headers["Location"] or headers["location"] or ""
    local id = string.match(location, "called=([0-9a-f%-]+)")
    if id and #id == 36 then
      ticket, step, calls = id, "serve", calls + 1
    else
      empty = empty + 1
    end
  elseif step == "serve" then
    step = "finish"
  else
    step = "call"
  end
end

function done(summary, latency, requests)
  local total, nobody, bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("calls")
    nobody = nobody + thread:get("empty")
    bad = bad + thread:get("failures")
  end
  local seconds = summary.duration / 1000000
  io.write(string.format("CALLNEXT_CALLED %d\nCALLNEXT_EMPTY %d\nCALLNEXT_FAILURES %d\nCALLNEXT_RATE %.1f\n", total, nobody, bad, total / seconds))
end
