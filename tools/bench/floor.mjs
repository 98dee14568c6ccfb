#!/usr/bin/env node
// The frameworks' floor (issue 7): the cheapest forwarder each of our frameworks allows, with nothing of Frontdoor's
// pipeline (no auth, limits, logs, metrics, decoding or shaping), so the report can say how much of a gateway
// variant's CPU is the framework and how much is ours.
//   node tools/bench/floor.mjs fastify <upstreamPort>   Fastify route + undici Pool
//   node tools/bench/floor.mjs nest <upstreamPort>      the same inside NestJS on Fastify (a controller, Nest's router)
// Both forward GET /employees/:id to the upstream on 127.0.0.1 and answer its status, Content-Type and bytes as
// they came. Prints one JSON line {"port": N} once listening; exits on SIGTERM.
import 'reflect-metadata';
import { Controller, Get, Module, Param, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { Pool } from 'undici';

const [kind, upstreamPort] = process.argv.slice(2);
if (!['fastify', 'nest'].includes(kind) || !Number(upstreamPort)) {
  process.stderr.write('usage: floor.mjs fastify|nest <upstreamPort>\n');
  process.exit(2);
}

const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 64, pipelining: 1 });

/** One upstream exchange: status, Content-Type and the body's bytes (read whole, as the gateway's client does). */
async function forward(id) {
  const response = await pool.request({ path: `/employees/${encodeURIComponent(id)}`, method: 'GET' });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, type: response.headers['content-type'] ?? 'application/octet-stream', body };
}

async function startFastify() {
  const app = Fastify({ logger: false });
  app.get('/employees/:id', async (request, reply) => {
    const { status, type, body } = await forward(request.params.id);
    return reply.code(status).type(type).send(body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, close: () => app.close() };
}

async function startNest() {
  // decorators applied by hand: this file is plain JavaScript, run without a build
  class ForwardController {
    async employee(id, reply) {
      const { status, type, body } = await forward(id);
      reply.code(status).type(type);
      return body;
    }
  }
  Param('id')(ForwardController.prototype, 'employee', 0);
  Res({ passthrough: true })(ForwardController.prototype, 'employee', 1);
  Reflect.decorate([Get('employees/:id')], ForwardController.prototype, 'employee', Object.getOwnPropertyDescriptor(ForwardController.prototype, 'employee'));
  Controller()(ForwardController);
  class FloorModule {}
  Module({ controllers: [ForwardController] })(FloorModule);
  const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false, bodyParser: false });
  await app.listen(0, '127.0.0.1');
  return { port: app.getHttpServer().address().port, close: () => app.close() };
}

const server = kind === 'fastify' ? await startFastify() : await startNest();
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on('SIGTERM', () => {
  void Promise.allSettled([server.close(), pool.close()]).then(() => process.exit(0));
});
