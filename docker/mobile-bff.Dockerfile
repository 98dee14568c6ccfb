# syntax=docker/dockerfile:1
# mobile-bff, built from its bundle alone. `npx nx build mobile-bff` writes dist/apps/mobile-bff/ (main.js + a generated
# package.json and package-lock.json); nothing else of the repository enters the image. Build context: the repository
# root (docker/compose.yaml does this); mobile-bff.Dockerfile.dockerignore lets only that folder in (BuildKit).

# 1. production dependencies of the bundle, from its generated lockfile; no install scripts run
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY dist/apps/mobile-bff/package.json dist/apps/mobile-bff/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY dist/apps/mobile-bff/ ./

# 2. runtime: the bundle and its node_modules, owned by root and read-only to the app's user; no npm, yarn or corepack
FROM node:20-bookworm-slim
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
# the V8 heap capped well below the pod's memory limit (deploy/k8s: 256Mi): Node sizes its default heap from the
# limit itself and leaves no room for buffers (the response cache) and native memory — an OOM kill instead of a GC
# (docs/benchmarks.md, "RSS and V8 heap flags"; measured with npm run bench:soak)
# Keep V8's young generation as it is under this cap: --max-semi-space-size=32 made every GC a mark-compact and the
# p99 at 1000 req/s 30 ms (docs/benchmarks.md, "Noise").
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3002 NODE_OPTIONS=--max-old-space-size=96
WORKDIR /app
COPY --from=deps /app ./
# the image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it
USER 1000:1000
EXPOSE 3002
# slim images have no curl: node's own fetch, bounded
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/live',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "main.js"]
