import { copySources, execForm, parseDockerfile, type Instruction } from './dockerfile';

/** What an image must be: its app, the port it serves, its health route, and build-context files besides the bundle. */
export interface ImageSpec {
  readonly app: string;
  readonly port: number;
  readonly health: string;
  readonly cmd: readonly string[];
  readonly extraSources: readonly string[];
}

const SLIM_FINAL = /^(node:20-bookworm-slim|gcr\.io\/distroless\/nodejs20-debian12(:nonroot)?)$/;

function finalStage(all: readonly Instruction[]): Instruction[] {
  const last = Math.max(...all.map((i) => i.stage));
  return all.filter((i) => i.stage === last);
}

function stageProblems(all: readonly Instruction[]): string[] {
  const froms = all.filter((i) => i.keyword === 'FROM').map((i) => i.args);
  const problems: string[] = [];
  if (froms.length < 2) problems.push('not multi-stage');
  if (!/^node:20-bookworm-slim AS \S+$/i.test(froms[0] ?? ''))
    problems.push(`first stage is ${froms[0]}, not node:20-bookworm-slim`);
  if (!SLIM_FINAL.test(froms.at(-1) ?? '')) problems.push(`final image ${froms.at(-1)} is not slim`);
  return problems;
}

function sourceProblems(all: readonly Instruction[], spec: ImageSpec): string[] {
  const own = (s: string) => s.startsWith(`dist/apps/${spec.app}/`) || spec.extraSources.includes(s);
  const problems = all.filter((i) => i.keyword === 'ADD').map((i) => `ADD ${i.args}: use COPY`);
  for (const copy of all.filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))) {
    for (const source of copySources(copy.args).filter((s) => !own(s)))
      problems.push(`copies ${source}, not its own bundle`);
  }
  return problems;
}

function installProblems(all: readonly Instruction[]): string[] {
  const runs = all.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  const problems: string[] = [];
  if (!runs.some((r) => /\bnpm ci\b(?=.*--omit=dev)(?=.*--ignore-scripts)/.test(r))) {
    problems.push('no `npm ci --omit=dev --ignore-scripts`');
  }
  for (const run of runs) {
    if (/\bnpm (install|i|add)\b/.test(run)) problems.push(`\`${run}\` installs outside the lockfile`);
    if (/\bnpm ci\b/.test(run) && !/--omit=dev/.test(run))
      problems.push(`\`${run}\` installs dev dependencies`);
  }
  return problems;
}

function runtimeProblems(last: readonly Instruction[], spec: ImageSpec): string[] {
  const args = (keyword: string) => last.filter((i) => i.keyword === keyword).map((i) => i.args);
  const problems: string[] = [];
  const users = args('USER');
  if (users.length !== 1 || !/^[1-9]\d*(:\d+)?$/.test(users[0]))
    problems.push(`USER ${users.join(', ') || '(none)'} is not one numeric non-root user`);
  const env = args('ENV').join(' ');
  if (!/\bNODE_ENV=production\b/.test(env)) problems.push('NODE_ENV is not production');
  if (spec.health === '/health/live' && !/\bHOST=0\.0\.0\.0\b/.test(env))
    problems.push('HOST is not 0.0.0.0');
  if (spec.health === '/health/live' && !/\bNODE_OPTIONS=--max-old-space-size=\d+\b/.test(env))
    problems.push('no V8 heap cap (NODE_OPTIONS=--max-old-space-size=N)');
  if (!args('EXPOSE').join(' ').split(/\s+/).includes(String(spec.port)))
    problems.push(`port ${spec.port} not exposed`);
  const checks = args('HEALTHCHECK');
  const check = execForm((checks[0] ?? '').replace(/^(--\S+\s+)*CMD\s+/, ''));
  if (checks.length !== 1 || check?.[0] !== 'node' || !check.join(' ').includes(`${spec.health}'`)) {
    problems.push(`no HEALTHCHECK running node against ${spec.health}`);
  }
  const cmds = args('CMD').map(execForm);
  if (cmds.length !== 1 || JSON.stringify(cmds[0]) !== JSON.stringify(spec.cmd))
    problems.push(`CMD is not ${JSON.stringify(spec.cmd)}`);
  return problems;
}

/** Every way a Dockerfile breaks the rules of docker/README.md; empty when it keeps them all. */
export function imageProblems(dockerfile: string, spec: ImageSpec): string[] {
  const all = parseDockerfile(dockerfile);
  return [
    ...stageProblems(all),
    ...sourceProblems(all, spec),
    ...installProblems(all),
    ...runtimeProblems(finalStage(all), spec),
  ];
}

/** Every way a Dockerfile's own ignore file lets in more than the bundle (and the listed extra files). */
export function ignoreProblems(dockerignore: string, spec: ImageSpec): string[] {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const allowed = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const expected = [`dist/apps/${spec.app}/`, ...spec.extraSources];
  const problems = patterns[0] === '*' ? [] : ['does not start by excluding everything (`*`)'];
  if (JSON.stringify(allowed) !== JSON.stringify(expected))
    problems.push(`lets in ${allowed.join(', ')}, not ${expected.join(', ')}`);
  return problems;
}
