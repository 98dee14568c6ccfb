// nginx as the plain reverse proxy users would pick instead: one worker, upstream keep-alive, no access log.
// Config, pid and temp paths all live in the run's temp dir; it runs in the foreground as the current user.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childrenOf } from './proc-stat.mjs';
import { sleep, start, unlessExited, waitForHttp } from './procs.mjs';

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

/** The nginx binary and its version, or undefined when nginx is not installed. */
export function findNginx() {
  for (const bin of [...CANDIDATES, 'nginx']) {
    const out = spawnSync(bin, ['-v'], { encoding: 'utf8' });
    if (out.status === 0) return { bin, version: (out.stderr || out.stdout).trim().replace(/^nginx version:\s*/, '') };
  }
  return undefined;
}

/** The nginx.conf text: `worker_processes 1`, `daemon off`, keepalive 64 to the upstream, HTTP/1.1 upstream. */
export function nginxConf({ dir, listenPort, upstreamPort }) {
  const path = (name) => join(dir, name);
  const asRoot = process.getuid?.() === 0;
  return `# written by tools/bench (issue 7): nginx as a plain reverse proxy with upstream keep-alive
${asRoot ? 'user root root;\n' : ''}worker_processes 1;
daemon off;
pid ${path('nginx.pid')};
error_log ${path('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${path('client_body')};
  proxy_temp_path ${path('proxy')};
  fastcgi_temp_path ${path('fastcgi')};
  uwsgi_temp_path ${path('uwsgi')};
  scgi_temp_path ${path('scgi')};
  # client connections stay open for the whole run, as with the Node servers (default would close every 1000)
  keepalive_requests 1000000;
  upstream bench_upstream {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Writes the config into `dir/nginx`, starts nginx pinned to `cpu`, waits until it proxies `/health`. */
export async function startNginx({ bin, dir, listenPort, upstreamPort, cpu }) {
  const home = join(dir, 'nginx');
  mkdirSync(home, { recursive: true });
  const conf = join(home, 'nginx.conf');
  writeFileSync(conf, nginxConf({ dir: home, listenPort, upstreamPort }));
  const entry = start('nginx', bin, ['-e', join(home, 'error.log'), '-p', home, '-c', conf], { cpu });
  await unlessExited(entry, waitForHttp(`http://127.0.0.1:${listenPort}/health`, 10_000));
  let workers = childrenOf(entry.child.pid);
  for (let i = 0; workers.length === 0 && i < 20; i += 1) {
    await sleep(50);
    workers = childrenOf(entry.child.pid);
  }
  return { entry, pids: [entry.child.pid, ...workers], url: `http://127.0.0.1:${listenPort}`, conf };
}
