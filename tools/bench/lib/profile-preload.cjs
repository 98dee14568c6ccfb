// Preloaded (node -r) into a gateway by `bench --profile`: SIGWINCH (not SIGUSR2: Nest's shutdown hooks take that) starts the V8 sampling profiler, the next SIGWINCH
// stops it and writes the .cpuprofile to BENCH_PROFILE_OUT. Start-up and warm-up stay out of the profile.
'use strict';
const inspector = require('node:inspector');
const { writeFileSync, renameSync } = require('node:fs');

const out = process.env.BENCH_PROFILE_OUT;
const interval = Number(process.env.BENCH_PROFILE_INTERVAL_US || 250);
let session;
process.on('SIGWINCH', () => {
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
