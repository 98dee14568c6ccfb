// The images' HEALTHCHECK one-liner (slim images have no curl), run as Docker would run it: exit 0 against a live
// replica, non-zero against a port where nothing listens.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../lib/processes.mjs';
import { CheckFailed } from '../lib/results.mjs';

function healthcheckCommand(root, app) {
  const text = readFileSync(join(root, `docker/${app}.Dockerfile`), 'utf8').replace(/\\\n\s*/g, ' ');
  const match = /^HEALTHCHECK\s.*?CMD\s+(\[.*\])\s*$/m.exec(text);
  if (!match) throw new CheckFailed(`docker/${app}.Dockerfile has no exec-form HEALTHCHECK`);
  return JSON.parse(match[1]);
}

export async function dockerHealthcheck(ctx) {
  const replica = ctx.replicas['web-bff'][1];
  const [command, ...args] = healthcheckCommand(ctx.root, 'web-bff');
  const run = (port) =>
    spawnSync(command === 'node' ? process.execPath : command, args, {
      env: { PATH: process.env.PATH, PORT: String(port) },
      timeout: 10_000,
    }).status;
  const live = run(replica.port);
  const dead = run(await freePort());
  if (live !== 0 || dead === 0)
    throw new CheckFailed(`exit ${live} against ${replica.name}, exit ${dead} against a closed port`);
  return `docker/web-bff.Dockerfile HEALTHCHECK: exit 0 against ${replica.name}, exit ${dead} against a closed port`;
}
