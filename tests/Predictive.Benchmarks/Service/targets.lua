-- wrk script: POSTs the body in $BODY (a file) to /v1/targets. Optional $DELAY_MS paces each connection
-- (wrk's delay()), which approximates a fixed rate: rate ≈ connections × 1000 / (DELAY_MS + latency).
local f = assert(io.open(os.getenv("BODY"), "r"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.path = "/v1/targets"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

local non200 = 0
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end
