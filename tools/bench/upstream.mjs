#!/usr/bin/env node
// The benchmark's upstream: one node:http process, one keep-alive listener per service on 127.0.0.1 (ephemeral
// ports), answering fixed payloads shaped like the demo estate's (lib/payloads.mjs). Every distinct answer is built
// once and then served from a cache of Buffers, so the upstream costs as little as a node:http server can.
// Prints one JSON line `{"ports": {...}}` when listening; SIGTERM/SIGINT close it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import * as P from './lib/payloads.mjs';

const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'application/xml; charset=utf-8';
const HEALTH = { status: 200, type: JSON_TYPE, body: '{"status":"ok"}' };

const json = (value, status = 200) => ({ status, type: JSON_TYPE, body: JSON.stringify(value) });
const xml = (text, status = 200) => ({ status, type: XML_TYPE, body: text });
const notFound = (dialect) =>
  dialect === 'xml'
    ? xml('<?xml version="1.0" encoding="UTF-8"?><problem><status>404</status><title>Not Found</title></problem>', 404)
    : { status: 404, type: 'application/problem+json; charset=utf-8', body: '{"status":404,"title":"Not Found"}' };

function intParam(query, name, fallback, max) {
  const raw = query.get(name);
  const value = raw === null || raw === '' ? fallback : Number(raw);
  return Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}

const SKU = /^SKU-(\d{5})$/;
const EMPLOYEE = /^E\d{4}$/;

/** One answer function per service: (segments, query) → {status, type, body}; undefined → 404. */
const SERVICES = {
  inventory: (seg, q) => {
    if (seg[0] === 'products' && seg.length === 1) return json(P.productPage(intParam(q, 'limit', 20, 100) || 1, intParam(q, 'offset', 0, 1e6)));
    if (seg[0] === 'products' && seg.length === 2) {
      const m = SKU.exec(seg[1]);
      const n = m ? Number(m[1]) : 0;
      return n >= 1 && n <= P.PRODUCT_TOTAL ? json(P.product(n)) : undefined;
    }
    if (seg[0] === 'stock' && seg[1] === 'alerts') return json(P.stockAlerts());
    return undefined;
  },
  hr: (seg) => (seg[0] === 'employees' && seg.length === 2 && EMPLOYEE.test(seg[1]) ? json(P.employee(seg[1])) : undefined),
  payroll: (seg) => (seg[0] === 'salaries' && seg.length === 2 && EMPLOYEE.test(seg[1]) ? xml(P.salaryXml(seg[1])) : undefined),
  // the same salary documents in JSON: the twin against which the XML→JSON translation is measured
  payrollJson: (seg) => (seg[0] === 'salaries' && seg.length === 2 && EMPLOYEE.test(seg[1]) ? json(P.salaryJson(seg[1])) : undefined),
  sales: (seg, q) => {
    if (seg[0] === 'summary' && seg.length === 1) return json(P.salesSummary());
    if (seg[0] !== 'orders') return undefined;
    if (seg.length === 1) return json(P.orderPage(intParam(q, 'limit', 20, 100) || 1, intParam(q, 'offset', 0, 1e6), q.get('partnerId')));
    if (seg[1] === 'recent') return json({ items: P.orderPage(intParam(q, 'limit', 10, 100) || 1, 0).items });
    const n = /^O-(\d{5})$/.exec(seg[1]);
    return n && Number(n[1]) >= 1 && Number(n[1]) <= P.ORDER_TOTAL ? json(P.order(Number(n[1]))) : undefined;
  },
  customers: (seg) => (seg[0] === 'customers' && seg.length === 2 ? json(P.customer(seg[1])) : undefined),
};

const MAX_CACHED = 2000;

function handlerFor(name) {
  const answer = SERVICES[name];
  const dialect = name === 'payroll' ? 'xml' : 'json';
  const cache = new Map();
  const build = (method, url) => {
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname === '/health') return HEALTH;
    if (method === 'POST' && name === 'sales' && pathname === '/orders') return json(P.order(P.ORDER_TOTAL + 1), 201);
    if (method !== 'GET' && method !== 'HEAD') return { status: 405, type: JSON_TYPE, body: '{"status":405}' };
    const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    return answer(segments, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))) ?? notFound(dialect);
  };
  let lastHeaders = [];
  const seen = (res) => {
    const names = [];
    const digests = {};
    for (let i = 0; i < lastHeaders.length; i += 2) {
      const name = lastHeaders[i].toLowerCase();
      names.push(name);
      // digests only, so that the report can tell the client's token from the gateway's own without printing either
      if (name === 'authorization' || name === 'x-api-key') digests[name] = createHash('sha256').update(lastHeaders[i + 1]).digest('hex').slice(0, 16);
    }
    const body = JSON.stringify({ headers: names, digests });
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };
  return (req, res) => {
    // which headers the last call carried (names only), to report what the gateway sends upstream (identity token…)
    if (req.url === '/__bench/seen') return seen(res);
    lastHeaders = req.rawHeaders;
    const key = `${req.method} ${req.url}`;
    let reply = cache.get(key);
    if (reply === undefined) {
      let built;
      try {
        built = build(req.method, req.url);
      } catch {
        built = { status: 400, type: JSON_TYPE, body: '{"status":400}' };
      }
      const body = Buffer.from(built.body);
      reply = { status: built.status, headers: { 'content-type': built.type, 'content-length': String(body.length) }, body };
      if (cache.size < MAX_CACHED) cache.set(key, reply);
    }
    // a request body (POST) is drained before answering, so the connection stays reusable
    if (req.method === 'POST' || req.method === 'PUT') {
      req.resume();
      req.once('end', () => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      });
      return;
    }
    res.writeHead(reply.status, reply.headers);
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  };
}

const servers = [];
const ports = {};
for (const name of Object.keys(SERVICES)) {
  const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, handlerFor(name));
  server.headersTimeout = 130_000;
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  ports[name] = server.address().port;
  servers.push(server);
}
process.stdout.write(`${JSON.stringify({ ports })}\n`);

const shutdown = () => {
  for (const server of servers) server.close();
  for (const server of servers) server.closeAllConnections();
  setTimeout(() => process.exit(0), 200).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
