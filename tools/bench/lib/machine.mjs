// What the figures were measured on: CPU, memory, kernel, Node, nginx, load tool, the repo's commit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

function cpuModel() {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Read-only git: the commit and how many files differ in the working tree (others edit it while we measure). */
function repoState(root) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return `${commit}${dirty ? ` + ${dirty} uncommitted paths` : ''}`;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(root, { nginx, loadTool, pins, ref, compare }) {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    nginx: nginx?.version,
    loadTool: loadTool ? `${loadTool.tool} ${loadTool.version}` : 'none',
    loadavg: loadavg().map((x) => x.toFixed(2)).join(' '),
    compare: compare ? `${compare} (${execFileSync('git', ['rev-parse', '--short', `${compare}^{commit}`], { cwd: root, encoding: 'utf8' }).trim()})` : undefined,
    repo: ref ? `${ref} (${execFileSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim()}), exported with git archive and built apart from the working tree` : `working tree: ${repoState(root)}`,
    pinning: pins.enabled
      ? `servers (upstream, nginx, every app) on CPU ${pins.server}, load generator on CPU ${pins.load} (taskset)`
      : `none (${pins.reason})`,
    /** Whether the gateway under test and the upstream share one core (then their CPU per request bounds the rate). */
    serversOnOneCore: pins.enabled,
  };
}
