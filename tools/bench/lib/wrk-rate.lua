-- tools/bench: wrk at a fixed request rate (wrk has none of its own; wrk2 is not packaged by Debian), for latency at
-- the same load. Every connection asks `delay` before each request, and `delay` hands out the next of a global
-- schedule of send slots 1/RATE s apart, so the connections together send RATE requests/s evenly spread (not in
-- bursts of one per connection). wrk still measures each latency from the moment the request is written, in µs.
-- No coordinated-omission correction: a stall delays only the connections waiting on it, whose later slots pass to
-- the others; with 32 connections at 1000 req/s each connection has 32 ms between requests, so a stall shorter than
-- that is measured in full by the requests in flight. BENCH_RATE: requests/s over all connections.
local ffi = require('ffi')
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new('bench_timespec')
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval_ms = 1000 / tonumber(os.getenv('BENCH_RATE') or '1000')
local next_slot = nil

delay = function()
  local t = now_ms()
  if next_slot == nil or next_slot < t - 1000 then next_slot = t end -- start, or a schedule fallen a second behind
  local slot = next_slot
  next_slot = next_slot + interval_ms
  local wait = slot - t
  if wait < 0 then return 0 end
  return math.floor(wait + 0.5)
end

-- the BENCH_JSON report line (`done`) of the closed-loop runs, from the file next to this one
dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or './') .. 'wrk-report.lua')
