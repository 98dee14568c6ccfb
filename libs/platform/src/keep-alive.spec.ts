import { Controller, Get, Res } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import type { FastifyReply } from 'fastify';
import { Agent, get } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { listenApp, observedModule } from './testing/listen-app';

// a full garbage collection on demand, for this spec only (jest runs it without --expose-gc)
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Weak references to every answer served: what the process still holds of them is what is not collected. */
const served: WeakRef<object>[] = [];

@Public()
@Controller('ping')
class PingController {
  @Get()
  ping(@Res({ passthrough: true }) reply: FastifyReply): { pong: true } {
    served.push(new WeakRef(reply), new WeakRef(reply.request), new WeakRef(reply.raw));
    return { pong: true };
  }
}

describe('kept-alive connections', () => {
  it('hold nothing of their last request once it is answered (no per-connection garbage kept until the next one)', async () => {
    const { url, close } = await listenApp(observedModule([PingController]));
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const once = () =>
        new Promise<number>((resolve, reject) => {
          get(`${url}/ping`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          }).on('error', reject);
        });
      expect(await Promise.all(Array.from({ length: 8 }, once))).toEqual(Array(8).fill(200));
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(8); // all eight connections still open, idle
      expect(served).toHaveLength(24);
      await new Promise((resolve) => setTimeout(resolve, 50)); // a WeakRef read in this job keeps its target until it ends
      collectGarbage();
      expect(served.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    } finally {
      agent.destroy();
      await close();
    }
  });
});
