-- GET a list of paths round-robin (one per line in BENCH_PATHS), optionally with one header
-- (BENCH_HEADER="Name: value"), e.g. an officer's bearer token.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then table.insert(paths, line) end
end
local header_name, header_value = nil, nil
local raw = os.getenv("BENCH_HEADER") or ""
if raw ~= "" then header_name, header_value = raw:match("^([^:]+):%s*(.*)$") end

function init(args)
  i = tid
  statuses = {}
end

function request()
  i = i + 1
  local headers = {}
  if header_name then headers[header_name] = header_value end
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end

function response(status, headers, body)
  count_status(status)
end
