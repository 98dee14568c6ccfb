// Command-line options of tools/bench/bench.mjs.

export const USAGE = `Usage: node tools/bench/bench.mjs [options]     (npm run bench / npm run bench:smoke)

Modes
  (default)              full run: 5 repetitions × 5 s per variant, interleaved, + fixed-rate latency runs
  --quick                2 repetitions × 2 s, 2 s warm-up
  --smoke                every variant answers correctly once + 1 s of light load each; asserts only
                         correctness (exit code 1 on failure); for CI
Load
  --reps N               repetitions (default 5)
  --seconds S            seconds per measured run (default 5)
  --warmup S             warm-up seconds per variant before the first repetition (default 5)
  --run-warmup S         unmeasured seconds of the same load right before every measured run (default 2): an app
                         left idle while the others ran comes back with a shrunk heap and cooled code
  --connections C        concurrent keep-alive connections (default 32)
  --rate R               also run R req/s (fixed rate: wrk with a slot schedule, µs; or autocannon -R, ms) per
                         variant for latency at the same load;
                         0 = off (default 1000)
  --rate-seconds S       seconds per fixed-rate run (default 3)
  --load wrk|autocannon  load tool (default: wrk when installed)
  --only a,b             measure only these variant ids (direct and nginx are always kept as references)
  --page-size N          products per page on the list routes (default 1: ~1.1 KB from the upstream)
Profile
  --profile ID           after the runs, CPU-profile variant ID on a fresh instance of its app
  --profile-seconds S    seconds profiled (default 10)
  --profile-only         skip the measured runs (with --profile)
  --heap                 with --profile: a sampling heap profile (bytes allocated per request) instead of CPU (3 s at most)
Set-up
  --no-build             use dist/ as it is (default: build with Nx when a bundle is missing or older than sources)
  --build                always run the Nx build first
  --ref REF              measure commit REF instead of the working tree: exported with git archive into the temp
                         dir (the repo is not touched), node_modules linked, built there
  --compare REF          also run the apps of commit REF (exported the same way) in the same run, each variant
                         right after its REF twin (ids end in @REF), and report before → after
  --env K=V              extra environment for every app (repeatable), e.g. to raise a rate-limit plan
  --partner-key KEY      partner API key to use (default: made with tools/keys when it exists; env BENCH_PARTNER_KEY)
  --out FILE             report path (default tmp/bench/latest.md; raw runs go next to it as .json)
  --keep-tmp             keep the run's temp dir (nginx.conf, app logs)
  --render FILE.json     print the report again from the raw figures a run saved (no processes started)
`;

/** A bad command line: printed as one line, exit code 2. */
export class ArgError extends Error {}

/** `--env K=V` → [K, V]. @throws ArgError without a name before the `=` */
export function envPair(kv) {
  const eq = kv.indexOf('=');
  if (eq < 1) throw new ArgError(`--env needs K=V, got ${JSON.stringify(kv)}`);
  return [kv.slice(0, eq), kv.slice(eq + 1)];
}

const DEFAULTS = { reps: 5, seconds: 5, warmup: 5, runWarmup: 2, connections: 32, rate: 1000, rateSeconds: 3, pageSize: 1, profileSeconds: 10 };

export function parseArgs(argv) {
  const o = { ...DEFAULTS, env: {}, only: undefined, build: 'auto', mode: 'full', load: undefined, keepTmp: false };
  const set = { reps: false, seconds: false, warmup: false, runWarmup: false, rateSeconds: false };
  const num = (name, v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new ArgError(`${name} needs a non-negative number, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new ArgError(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--quick': o.mode = 'quick'; break;
      case '--smoke': o.mode = 'smoke'; break;
      case '--reps': o.reps = num(a, next()); set.reps = true; break;
      case '--seconds': o.seconds = num(a, next()); set.seconds = true; break;
      case '--warmup': o.warmup = num(a, next()); set.warmup = true; break;
      case '--run-warmup': o.runWarmup = num(a, next()); set.runWarmup = true; break;
      case '--connections': o.connections = num(a, next()); break;
      case '--rate': o.rate = num(a, next()); break;
      case '--rate-seconds': o.rateSeconds = num(a, next()); set.rateSeconds = true; break;
      case '--load': o.load = next(); break;
      case '--only': o.only = next().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--page-size': o.pageSize = num(a, next()); break;
      case '--profile': o.profile = next(); break;
      case '--profile-seconds': o.profileSeconds = num(a, next()); break;
      case '--profile-only': o.profileOnly = true; break;
      case '--heap': o.heap = true; break;
      case '--no-build': o.build = 'never'; break;
      case '--build': o.build = 'always'; break;
      case '--env': {
        const [k, v] = envPair(next());
        o.env[k] = v;
        break;
      }
      case '--partner-key': o.partnerKey = next(); break;
      case '--out': o.out = next(); break;
      case '--keep-tmp': o.keepTmp = true; break;
      case '--render': o.render = next(); break;
      case '--ref': o.ref = next(); break;
      case '--compare': o.compare = next(); break;
      case '-h':
      case '--help': o.help = true; break;
      default: throw new ArgError(`unknown option ${a}`);
    }
  }
  if (o.mode === 'quick') {
    if (!set.reps) o.reps = 2;
    if (!set.seconds) o.seconds = 2;
    if (!set.warmup) o.warmup = 2;
    if (!set.runWarmup) o.runWarmup = 1;
    if (!set.rateSeconds) o.rateSeconds = 2;
  }
  if (o.mode === 'smoke') Object.assign(o, { reps: 1, seconds: 1, warmup: 0, runWarmup: 0, connections: Math.min(o.connections, 4), rate: 0 });
  if (o.load && o.load !== 'wrk' && o.load !== 'autocannon') throw new ArgError('--load is wrk or autocannon');
  if (o.reps < 1 || o.seconds < 1) throw new ArgError('--reps and --seconds must be at least 1');
  o.partnerKey ??= process.env.BENCH_PARTNER_KEY;
  return o;
}
