// Preloaded (node -r) into a gateway by `bench --profile`: SIGWINCH (not SIGUSR2: Nest's shutdown hooks take that) starts the V8 sampling profiler, the next SIGWINCH
// stops it and writes the .cpuprofile to BENCH_PROFILE_OUT. Start-up and warm-up stay out of the profile.
// With BENCH_PROFILE_KIND=heap (`--heap`) it is V8's sampling heap profiler instead: every allocation site, objects the
// scavenger and the mark-compactor collected included (what a request allocates, not what it keeps), one sample per
// 4 KiB allocated on average.
'use strict';
const inspector = require('node:inspector');
const { writeFileSync, renameSync } = require('node:fs');

const out = process.env.BENCH_PROFILE_OUT;
const interval = Number(process.env.BENCH_PROFILE_INTERVAL_US || 250);
const heap = process.env.BENCH_PROFILE_KIND === 'heap';
let session;
process.on('SIGWINCH', () => {
  if (heap) return heapProfile();
  if (!session) {
    session = new inspector.Session();
    session.connect();
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval }, () => session.post('Profiler.start')),
    );
    return;
  }
  session.post('Profiler.stop', (error, result) => {
    if (!error) {
      writeFileSync(`${out}.part`, JSON.stringify(result.profile));
      renameSync(`${out}.part`, out);
    }
    session.disconnect();
    session = undefined;
  });
});

function heapProfile() {
  if (!session) {
    session = new inspector.Session();
    session.connect();
    const sampling = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
    session.post('HeapProfiler.enable', () => session.post('HeapProfiler.startSampling', sampling));
    return;
  }
  session.post('HeapProfiler.stopSampling', (error, result) => {
    try {
      if (error) throw error;
      writeFileSync(`${out}.part`, JSON.stringify(result.profile));
      renameSync(`${out}.part`, out);
    } catch (failure) {
      process.stderr.write(`heap profile not written: ${failure.message}\n`);
    }
    session.disconnect();
    session = undefined;
  });
}
