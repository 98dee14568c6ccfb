import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One `upstream name { server host:port …; }` block of an nginx.conf. */
export interface NginxUpstream {
  readonly name: string;
  readonly servers: readonly { host: string; port: number }[];
  readonly keepalive: boolean;
  /** `keepalive_timeout` of the block in ms; nginx's default (60 s) when it has none. */
  readonly keepaliveTimeoutMs: number;
}

const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * The `keepalive_timeout` of an upstream block's body in ms (`4s`, `500ms`, `1m`, bare seconds): nginx's default,
 * 60 s, when the block has none; NaN when it cannot be read.
 */
function keepaliveTimeoutMs(body: string): number {
  const value = /\bkeepalive_timeout\s+(\S+);/.exec(body)?.[1];
  if (value === undefined) return 60_000;
  const match = /^(\d+)(ms|s|m)?$/.exec(value);
  return match ? Number(match[1]) * (MS_PER_UNIT[match[2] ?? 's'] ?? NaN) : NaN;
}

/** One `server { listen N; … proxy_pass http://name; … }` block. */
export interface NginxServer {
  readonly listen: number;
  readonly proxyPass: string | undefined;
  readonly setsForwardedFor: boolean;
}

/** Reads the upstream and server blocks of a flat nginx.conf like docker/nginx.conf (no includes, no nesting tricks). */
export function readNginx(conf: string): { upstreams: NginxUpstream[]; servers: NginxServer[] } {
  const text = conf.replace(/#.*$/gm, '');
  const upstreams = [...text.matchAll(/upstream\s+(\S+)\s*\{([^}]*)\}/g)].map(([, name = '', body = '']) => ({
    name,
    servers: [...body.matchAll(/server\s+([^\s:;]+):(\d+)/g)].map(([, host = '', port = '']) => ({
      host,
      port: Number(port),
    })),
    keepalive: /\bkeepalive\s+\d+;/.test(body),
    keepaliveTimeoutMs: keepaliveTimeoutMs(body),
  }));
  const servers = [...text.matchAll(/server\s*\{\s*listen\s+(\d+);([\s\S]*?)\n {2}\}/g)].map(
    ([, listen = '', body = '']) => ({
      listen: Number(listen),
      proxyPass: /proxy_pass\s+http:\/\/([^;/\s]+)/.exec(body)?.[1],
      setsForwardedFor: /proxy_set_header\s+X-Forwarded-For\s+\$\S+;/.test(body),
    }),
  );
  return { upstreams, servers };
}

/**
 * Runs Debian's `nginx -t` on `conf`. `nginx -t` resolves upstream host names, and compose service names (web-bff…)
 * resolve only on the compose network, so the check runs on a copy whose upstream servers point at 127.0.0.1 (the
 * syntax and every directive are still checked; the names themselves are checked against compose.yaml instead).
 * @returns nginx's exit status and output
 */
export function nginxTest(conf: string): { status: number | null; output: string } {
  const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (version.error) {
    throw new Error(
      "nginx not found: install Debian's nginx (apt-get install -y nginx) to check docker/nginx.conf",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'frontdoor-nginx-'));
  try {
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, conf.replace(/(\bserver\s+)[A-Za-z][\w.-]*(:\d+)/g, '$1127.0.0.1$2'));
    // nginx's output goes to a file: the conf logs to /dev/stdout and /dev/stderr, which cannot be opened on the
    // socket pairs Node gives a child for pipes
    const log = join(dir, 'output.txt');
    const fd = openSync(log, 'w');
    const run = spawnSync(
      'nginx',
      ['-t', '-q', '-c', file, '-p', `${dir}/`, '-e', 'stderr', '-g', `pid ${dir}/nginx.pid;`],
      {
        stdio: ['ignore', fd, fd],
        timeout: 15_000,
      },
    );
    closeSync(fd);
    return { status: run.status, output: readFileSync(log, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
