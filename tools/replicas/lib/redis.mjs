// One Debian redis-server on 127.0.0.1 and a free port, without persistence; a raw PING to know it answers.
import { connect } from 'node:net';
import { startProcess } from './processes.mjs';

export function startRedis({ port, logDir }) {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    logDir,
  ];
  return startProcess({ name: 'redis', command: 'redis-server', args, env: {}, logDir, cwd: logDir });
}

/** Whether Redis answers PING on 127.0.0.1:`port` within `timeoutMs`. */
export function redisPing(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** The clients connected to Redis on `port`, besides this one (CLIENT LIST, one line per client). */
export function redisClientCount(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (count) => {
      socket.destroy();
      resolve(count);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write('CLIENT LIST\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (header && Buffer.byteLength(reply) >= header[0].length + Number(header[1])) {
        done(reply.slice(header[0].length).trim().split('\n').length - 1);
      }
    });
  });
}
