// Preloaded by the demo-upstreams image (`node --import ./demo-estate-expose.mjs main.js`). The demo estate binds
// 127.0.0.1 only, on purpose (it hands out demo credentials), so other containers could not reach it. This forwards
// each estate port from the container's own non-loopback IPv4 addresses to 127.0.0.1, byte for byte, in the same
// process: when the estate exits, so do the forwarders. Container networks only; never use it on a host.
import { connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';

const PORTS = [4000, 4001, 4002, 4003, 4004, 4005];

function forward(address, port) {
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  server.on('error', (error) => {
    process.stderr.write(`demo-estate-expose: cannot listen on ${address}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, address);
}

const addresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a && a.family === 'IPv4' && !a.internal)
  .map((a) => a.address);
for (const address of addresses) for (const port of PORTS) forward(address, port);
process.stdout.write(
  `demo-estate-expose: forwarding ${addresses.join(', ')} ports ${PORTS.join(', ')} to 127.0.0.1\n`,
);
