-- wrk script: POST the same /v1/select question on every request (body from select.json).
local f = assert(io.open(os.getenv("SELECT_JSON"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = os.getenv("PLACEWISE_TOKEN")

local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", errors))
  io.write(string.format("RESULT median_ms=%.2f p99_ms=%.2f requests_per_s=%.0f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
