-- tools/bench: makes wrk print one JSON line at the end (latencies in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end

-- With BENCH_HISTOGRAM set (the fixed-rate runs): every latency recorded, as "µs:count" pairs of wrk's histogram
-- (`latency(i)` is the i-th distinct value and its count), so that the bench can pool the repetitions of a variant
-- and read one p99 over all their requests instead of a median of per-run p99s.
local report = done
done = function(summary, latency, requests)
  report(summary, latency, requests)
  if os.getenv('BENCH_HISTOGRAM') == nil then return end
  local pairs_ = {}
  for i = 1, #latency do
    local value, count = latency(i)
    pairs_[#pairs_ + 1] = string.format('%d:%d', value, count)
  end
  io.write('BENCH_HIST ' .. table.concat(pairs_, ',') .. '\n')
end
