// CPU profile of one variant: a separate instance of its app with the profiler preload, warmed up, profiled under
// the same load, then summarised: self time by origin (our code per lib via the bundle's source map, each framework
// package, Node internals, GC) and the top frames, each also as µs per request.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './gateways.mjs';
import { runLoad } from './load.mjs';
import { cpuMicros } from './proc-stat.mjs';
import { sleep, stop } from './procs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const HEAP_PROFILE_MAX_SECONDS = 3;
const AUTH_PACKAGES = new Set(['jose', 'passport', 'passport-jwt', 'passport-custom', '@nestjs/passport', 'jwks-rsa', 'jsonwebtoken']);

function packageOf(url) {
  const i = url.lastIndexOf('/node_modules/');
  if (i < 0) return undefined;
  const rest = url.slice(i + '/node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  const file = rest.slice(name.split('/').length).join('/');
  return { name, file };
}

function makeLocator(root) {
  const maps = new Map();
  const mapFor = (bundle) => {
    if (!maps.has(bundle)) {
      const file = `${bundle}.map`;
      maps.set(bundle, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null);
    }
    return maps.get(bundle);
  };
  /** {category, where} of a call frame. */
  return (frame) => {
    const { url, functionName, lineNumber, columnNumber } = frame;
    if (!url) {
      if (functionName === '(garbage collector)') return { category: 'GC', where: 'V8' };
      if (functionName === '(program)') return { category: 'V8/native (program)', where: 'V8' };
      return { category: 'V8 builtins', where: 'V8' };
    }
    if (url.startsWith('node:')) return { category: 'Node internals', where: `${url}:${lineNumber + 1}` };
    const path = url.replace(/^file:\/\//, '');
    if (path.includes('/dist/apps/')) {
      const entry = mapFor(path)?.findEntry(lineNumber, columnNumber);
      const source = entry?.originalSource?.replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.{1,2}\/)+/, '');
      if (!source) return { category: 'our code (bundle, unmapped)', where: `${path.slice(path.indexOf('dist/'))}:${lineNumber + 1}` };
      const where = `${source}:${entry.originalLine + 1}`;
      const area = /^(libs|apps)\/[^/]+/.exec(source)?.[0] ?? source;
      if (area === 'libs/auth') return { category: 'auth (our code + jose)', where };
      if (source.includes('node_modules/')) return { category: packageOf(source)?.name ?? 'bundled module', where };
      return { category: `ours: ${area}`, where };
    }
    const pkg = packageOf(path);
    if (pkg) return { category: AUTH_PACKAGES.has(pkg.name) ? 'auth (our code + jose)' : pkg.name, where: `${pkg.name}/${pkg.file}:${lineNumber + 1}` };
    return { category: 'other', where: `${path.slice(root.length + 1)}:${lineNumber + 1}` };
  };
}

/** Summarises a .cpuprofile: categories, top self frames, our code's inclusive time. */
export function analyzeProfile(root, profile, cpuUsPerReq, topN = 25) {
  const locate = makeLocator(root);
  const nodes = new Map();
  const parent = new Map();
  for (const n of profile.nodes) {
    nodes.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const info = new Map();
  const infoOf = (id) => {
    if (!info.has(id)) {
      const frame = nodes.get(id).callFrame;
      const { category, where } = locate(frame);
      info.set(id, { category, where, name: frame.functionName || '(anonymous)', key: `${frame.functionName}@${where}` });
    }
    return info.get(id);
  };
  const self = new Map();
  const cats = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const id of profile.samples) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    total += 1;
    const i = infoOf(id);
    self.set(i.key, { ...i, count: (self.get(i.key)?.count ?? 0) + 1 });
    cats.set(i.category, (cats.get(i.category) ?? 0) + 1);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const a = infoOf(at);
      if ((!a.category.startsWith('ours:') && !a.category.startsWith('auth')) || seen.has(a.key)) continue;
      seen.add(a.key);
      inclusive.set(a.key, { ...a, count: (inclusive.get(a.key)?.count ?? 0) + 1 });
    }
  }
  const share = (count) => ({ share: count / total, usPerReq: (count / total) * cpuUsPerReq });
  return {
    samples: total,
    categories: [...cats].map(([name, count]) => ({ name, ...share(count) })).sort((a, b) => b.share - a.share),
    top: [...self.values()].sort((a, b) => b.count - a.count).slice(0, topN).map((t) => ({ name: t.name, where: t.where, category: t.category, ...share(t.count) })),
    ours: [...inclusive.values()].sort((a, b) => b.count - a.count).slice(0, 15).map((t) => ({ name: t.name, where: t.where, ...share(t.count) })),
  };
}

/**
 * Summarises a sampling heap profile (`--heap`): bytes allocated per request by origin (as for CPU), the top
 * allocating frames (self) and our code inclusive. `requests` is the number of requests answered while sampling.
 */
export function analyzeHeapProfile(root, profile, requests, topN = 25) {
  const locate = makeLocator(root);
  const self = new Map();
  const cats = new Map();
  const inclusive = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const frame = node.callFrame;
    const { category, where } = locate(frame);
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const here = [...stack, { key, name, where, category }];
    if (node.selfSize > 0) {
      total += node.selfSize;
      self.set(key, { name, where, category, bytes: (self.get(key)?.bytes ?? 0) + node.selfSize });
      cats.set(category, (cats.get(category) ?? 0) + node.selfSize);
      const seen = new Set();
      for (const a of here) {
        if ((!a.category.startsWith('ours:') && !a.category.startsWith('auth')) || seen.has(a.key)) continue;
        seen.add(a.key);
        inclusive.set(a.key, { ...a, bytes: (inclusive.get(a.key)?.bytes ?? 0) + node.selfSize });
      }
    }
    for (const child of node.children ?? []) walk(child, here);
  };
  walk(profile.head, []);
  const per = (bytes) => ({ share: bytes / total, bytesPerReq: bytes / requests });
  return {
    kind: 'heap',
    requests,
    bytesPerReq: total / requests,
    categories: [...cats].map(([name, bytes]) => ({ name, ...per(bytes) })).sort((a, b) => b.share - a.share),
    top: [...self.values()].sort((a, b) => b.bytes - a.bytes).slice(0, topN).map((t) => ({ name: t.name, where: t.where, category: t.category, ...per(t.bytes) })),
    ours: [...inclusive.values()].sort((a, b) => b.bytes - a.bytes).slice(0, 15).map((t) => ({ name: t.name, where: t.where, ...per(t.bytes) })),
  };
}

/**
 * Profiles `variant` on a fresh instance of its app (`spec`: {app, env}): warm-up, SIGWINCH, load, SIGWINCH, then
 * analyse. Returns the summary for the report, plus the profile's path.
 */
export async function profileVariant({ root, dir, logDir = dir, variant, spec, tool, options, pins }) {
  const heap = Boolean(options.heap);
  const out = join(dir, `${variant.id}.${heap ? 'heapprofile' : 'cpuprofile'}`);
  rmSync(out, { force: true });
  const app = await startApp(root, spec.app, {
    label: `${spec.label}-profiled`,
    env: { ...spec.env, BENCH_PROFILE_OUT: out, ...(heap ? { BENCH_PROFILE_KIND: 'heap' } : {}) },
    cpu: pins.server,
    logFile: join(logDir, `${variant.id}-profiled.log`),
    nodeArgs: ['-r', join(here, 'profile-preload.cjs')],
  });
  try {
    const base = new URL(variant.url);
    const url = `${app.url}${base.pathname}${base.search}`;
    const load = { url, headers: variant.headers, connections: options.connections, cpu: pins.load };
    await runLoad(tool, { ...load, seconds: Math.max(2, options.warmup) });
    process.kill(app.pid, 'SIGWINCH');
    await sleep(200);
    const before = cpuMicros([app.pid]);
    // a heap profile keeps every sample (~70,000 a second here): past a few seconds V8 takes too long to hand it over
    const seconds = heap ? Math.min(options.profileSeconds, HEAP_PROFILE_MAX_SECONDS) : options.profileSeconds;
    const run = await runLoad(tool, { ...load, seconds });
    const cpuUsPerReq = (cpuMicros([app.pid]) - before) / run.requests;
    process.kill(app.pid, 'SIGWINCH');
    for (let i = 0; i < (heap ? 600 : 100) && !existsSync(out); i += 1) await sleep(100);
    if (!existsSync(out)) throw new Error('the profiled app wrote no profile');
    const data = JSON.parse(readFileSync(out, 'utf8'));
    const summary = heap ? analyzeHeapProfile(root, data, run.requests) : analyzeProfile(root, data, cpuUsPerReq);
    return { variant: variant.id, seconds, connections: options.connections, cpuUsPerReq, rps: run.rps, path: out, ...summary };
  } finally {
    await stop(app.entry);
  }
}
