# syntax=docker/dockerfile:1
# The demo estate (dev IdP :4000, five services :4001–4005), built from its bundle alone (`npx nx build
# demo-upstreams` → dist/apps/demo-upstreams/) plus one small script of this folder. Demo only: never deploy it.
# Build context: the repository root; demo-upstreams.Dockerfile.dockerignore lets only those two things in.

# 1. production dependencies of the bundle, from its generated lockfile; no install scripts run
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY dist/apps/demo-upstreams/package.json dist/apps/demo-upstreams/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY dist/apps/demo-upstreams/ ./
COPY docker/demo-estate-expose.mjs ./

# 2. runtime
FROM node:20-bookworm-slim
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app ./
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004 4005
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/health',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The estate listens on 127.0.0.1 only, by design; the preloaded script forwards the container's own addresses to it.
CMD ["node", "--import", "./demo-estate-expose.mjs", "main.js"]
