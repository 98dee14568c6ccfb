import { BFFS, healthRoutes, readRepoFile, yamlDocuments, yamlFilesUnder } from './deploy-files';
import {
  bffProblems,
  preStopImageProblems,
  redisProblems,
  referenceProblems,
  schemaProblems,
} from './k8s.checks';
import type { Located, Manifest } from './k8s.types';

// deploy/k8s, validated rather than just written: every document against the Kubernetes schema of its kind
// (kubernetes-models), then the names that tie documents together and to the apps (labels, targets, health routes,
// the apps' own environment variables and their values).
const all: readonly Located[] = yamlFilesUnder('deploy/k8s').flatMap((file) =>
  yamlDocuments(file).map((doc, i) => ({ where: `${file}#${i}`, doc: doc as Manifest })),
);
const routes = healthRoutes();

const C = 'spec.template.spec.containers.0';

/**
 * A deep copy of every manifest (of `from`: all by default) with one value of one of them replaced (`undefined`:
 * removed), for the rows that prove a check can fail. `path` is dotted, array indexes included (`spec.ports.0.port`).
 */
function broken(
  kind: string,
  name: string,
  path: string,
  value: unknown,
  from: readonly Located[] = all,
): Located[] {
  return from.map(({ where, doc }) => {
    const copy = structuredClone(doc) as unknown as Record<string, unknown>;
    if (doc.kind === kind && doc.metadata.name === name) {
      const keys = path.split('.');
      const last = keys.pop() as string;
      const parent = keys.reduce((node, key) => node[key] as Record<string, unknown>, copy);
      if (value === undefined) delete parent[last];
      else parent[last] = value;
    }
    return { where, doc: copy as unknown as Manifest };
  });
}

describe('deploy/k8s', () => {
  it('holds the documents of three BFFs, Redis and the namespace', () => {
    expect(routes).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    const kinds = all.map(({ doc }) => doc.kind);
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(4);
    for (const kind of ['Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ConfigMap']) {
      expect(kinds.filter((k) => k === kind).length).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(all.map((l) => [l.where, `${l.doc.kind}/${l.doc.metadata.name}`, l] as const))(
    '%s (%s) matches the Kubernetes schema of its kind',
    (_where, _name, located) => {
      expect(schemaProblems([located])).toEqual([]);
    },
  );

  it('cross-references resolve: namespace, selectors, HPA targets, ConfigMaps and Secret keys', () => {
    expect(referenceProblems(all)).toEqual([]);
  });

  it.each(BFFS)(
    '%s: 2 replicas, probes on the health routes, resources, locked-down container, known env only',
    (app) => {
      expect(bffProblems(app, all, routes)).toEqual([]);
    },
  );

  it.each(BFFS)('%s: an exec preStop, if any, runs a command its image has', (app) => {
    expect(preStopImageProblems(app, all, readRepoFile(`docker/${app}.Dockerfile`))).toEqual([]);
  });

  it('Redis: password from a Secret in REDIS_URL, append-only file on a claim, keys never evicted, only BFFs admitted', () => {
    expect(redisProblems(all)).toEqual([]);
  });

  it('every Secret created out of band is documented in deploy/k8s/README.md', () => {
    const readme = readRepoFile('deploy/k8s/README.md');
    const volumes = all.flatMap(({ doc }) => doc.spec?.template?.spec?.volumes ?? []).filter((v) => v.secret);
    expect(volumes.length).toBeGreaterThan(0);
    for (const v of volumes) expect(readme).toContain(v.secret?.secretName);
  });
});

describe('the Kubernetes checks catch a broken manifest', () => {
  it.each([
    ['a port that is not a number', 'Deployment', 'web-bff', `${C}.ports.0.containerPort`, 'http'],
    ['an HPA without maxReplicas', 'HorizontalPodAutoscaler', 'mobile-bff', 'spec.maxReplicas', undefined],
    ['a bad quantity', 'Deployment', 'partner-bff', `${C}.resources.limits.memory`, 'lots'],
    ['a kind no schema is kept for', 'PodDisruptionBudget', 'web-bff', 'apiVersion', 'policy/v1beta1'],
    [
      'a preStop sleep that is not a number',
      'Deployment',
      'web-bff',
      `${C}.lifecycle.preStop.sleep.seconds`,
      'five',
    ],
    [
      'a NetworkPolicy peer that is not a selector',
      'NetworkPolicy',
      'redis',
      'spec.ingress.0.from.0.podSelector',
      'bffs',
    ],
  ])('schema: %s', (_case, kind, name, path, value) => {
    expect(schemaProblems(broken(kind, name, path, value))).not.toEqual([]);
  });

  it.each([
    [
      'a Service selecting nothing',
      'Service',
      'web-bff',
      'spec.selector',
      { 'app.kubernetes.io/name': 'web' },
      'selects the pods of 0',
    ],
    [
      'an HPA on a missing Deployment',
      'HorizontalPodAutoscaler',
      'partner-bff',
      'spec.scaleTargetRef.name',
      'partner',
      'targets no existing Deployment',
    ],
    [
      'a PDB selecting nothing',
      'PodDisruptionBudget',
      'mobile-bff',
      'spec.selector.matchLabels',
      { app: 'mobile' },
      'selects the pods of 0',
    ],
    [
      'a missing Secret key',
      'Deployment',
      'web-bff',
      `${C}.env.0.valueFrom.secretKeyRef.key`,
      'URL',
      'names no Secret key',
    ],
    [
      'a missing ConfigMap',
      'Deployment',
      'web-bff',
      `${C}.envFrom.0.configMapRef.name`,
      'web-config',
      'no ConfigMap web-config',
    ],
  ])('references: %s', (_case, kind, name, path, value, problem) => {
    expect(referenceProblems(broken(kind, name, path, value)).join('\n')).toContain(problem);
  });

  it.each([
    [
      'a variable the app does not know',
      'ConfigMap',
      'web-bff-config',
      'data.RATE_LIMIT_RPS',
      '5',
      'sets RATE_LIMIT_RPS, which the app does not read',
    ],
    [
      'a value the app refuses',
      'ConfigMap',
      'web-bff-config',
      'data.TRUST_PROXY',
      '10.0.0.0/33',
      'TRUST_PROXY',
    ],
    [
      'a readiness probe on a route that does not exist',
      'Deployment',
      'web-bff',
      `${C}.readinessProbe.httpGet.path`,
      '/healthz',
      'readinessProbe is not GET /health/ready',
    ],
    [
      'a liveness probe on another port',
      'Deployment',
      'web-bff',
      `${C}.livenessProbe.httpGet.port`,
      8080,
      'livenessProbe is not GET /health/live',
    ],
    [
      'REDIS_URL in plain text',
      'Deployment',
      'web-bff',
      `${C}.env.0`,
      { name: 'REDIS_URL', value: 'redis://redis:6379' },
      'REDIS_URL does not come from a Secret',
    ],
    [
      'a writable root filesystem',
      'Deployment',
      'web-bff',
      `${C}.securityContext.readOnlyRootFilesystem`,
      false,
      'securityContext',
    ],
    [
      'capabilities kept',
      'Deployment',
      'web-bff',
      `${C}.securityContext.capabilities`,
      undefined,
      'securityContext',
    ],
    ['one replica', 'Deployment', 'web-bff', 'spec.replicas', 1, 'replicas is not 2'],
    ['no resource limits', 'Deployment', 'web-bff', `${C}.resources.limits`, undefined, 'no memory limit'],
    [
      'the memory request of before the soak',
      'Deployment',
      'web-bff',
      `${C}.resources.requests.memory`,
      '128Mi',
      'memory request 128Mi is below the RSS measured',
    ],
    [
      'a memory request above the limit',
      'Deployment',
      'web-bff',
      `${C}.resources.requests.memory`,
      '300Mi',
      'above its limit',
    ],
    [
      'the CPU request of before the benchmark',
      'Deployment',
      'web-bff',
      `${C}.resources.requests.cpu`,
      '100m',
      'cpu request 100m is below the measured load',
    ],
    [
      'a CPU limit below one core',
      'Deployment',
      'web-bff',
      `${C}.resources.limits.cpu`,
      '500m',
      'cpu limit 500m is below one core',
    ],
    ['no preStop', 'Deployment', 'web-bff', `${C}.lifecycle`, undefined, 'no preStop sleep'],
    [
      'a preStop of a command other than sleep',
      'Deployment',
      'web-bff',
      `${C}.lifecycle.preStop`,
      { exec: { command: ['/bin/true'] } },
      'no preStop sleep',
    ],
    [
      'a preStop too short for endpoint removal',
      'Deployment',
      'web-bff',
      `${C}.lifecycle.preStop.sleep.seconds`,
      1,
      'preStop sleeps 1 s, less than 3 s',
    ],
    [
      'a grace period shorter than preStop + drain + margin',
      'Deployment',
      'web-bff',
      'spec.template.spec.terminationGracePeriodSeconds',
      15,
      'terminationGracePeriodSeconds 15 < preStop 5 s + SHUTDOWN_DRAIN_MS 10 s + 5 s margin',
    ],
    [
      "Kubernetes' default grace period (30 s) left under a longer drain",
      'ConfigMap',
      'web-bff-config',
      'data.SHUTDOWN_DRAIN_MS',
      '25000',
      'terminationGracePeriodSeconds 30 < preStop 5 s + SHUTDOWN_DRAIN_MS 25 s',
    ],
    [
      'TRUST_PROXY trusting the whole pod network',
      'ConfigMap',
      'web-bff-config',
      'data.TRUST_PROXY',
      '10.0.0.0/8',
      'TRUST_PROXY 10.0.0.0/8 is wider than /16',
    ],
    [
      "keep-alive at its default, below the ingress's idle timeout",
      'ConfigMap',
      'web-bff-config',
      'data.KEEP_ALIVE_TIMEOUT_MS',
      undefined,
      'KEEP_ALIVE_TIMEOUT_MS 5000 is not above',
    ],
    [
      'a PDB that lets a drain take two pods',
      'PodDisruptionBudget',
      'web-bff',
      'spec.maxUnavailable',
      2,
      'no PodDisruptionBudget maxUnavailable 1',
    ],
    [
      'the signing key off any Secret volume',
      'ConfigMap',
      'web-bff-config',
      'data.GATEWAY_SIGNING_KEY_FILE',
      '/app/key.pem',
      'GATEWAY_SIGNING_KEY_FILE is not on a mounted Secret',
    ],
    [
      "the audience left to the demo estate's default",
      'ConfigMap',
      'web-bff-config',
      'data.JWT_AUDIENCE',
      undefined,
      "web-bff: JWT_AUDIENCE left on the demo estate's defaults",
    ],
  ])('web-bff: %s', (_case, kind, name, path, value, problem) => {
    expect(bffProblems('web-bff', broken(kind, name, path, value), routes).join('\n')).toContain(problem);
  });
});

describe('the shutdown and disruption checks', () => {
  it('refuse the PDB of before (minAvailable 1, which lets a drain evict five of six pods)', () => {
    const before = broken(
      'PodDisruptionBudget',
      'web-bff',
      'spec.minAvailable',
      1,
      broken('PodDisruptionBudget', 'web-bff', 'spec.maxUnavailable', undefined),
    );
    expect(bffProblems('web-bff', before, routes).join('\n')).toContain(
      'no PodDisruptionBudget maxUnavailable 1',
    );
  });

  it('accept an exec of /bin/sleep over the Debian image, and refuse it over a distroless one', () => {
    const exec = broken('Deployment', 'web-bff', `${C}.lifecycle.preStop`, {
      exec: { command: ['/bin/sleep', '5'] },
    });
    const dockerfile = readRepoFile('docker/web-bff.Dockerfile');
    const at = dockerfile.lastIndexOf('FROM node:20-bookworm-slim\n');
    const distroless = `${dockerfile.slice(0, at)}FROM gcr.io/distroless/nodejs20-debian12:nonroot\n${dockerfile.slice(at + 27)}`;
    expect(at).toBeGreaterThan(0);
    expect(bffProblems('web-bff', exec, routes)).toEqual([]);
    expect(preStopImageProblems('web-bff', exec, dockerfile)).toEqual([]);
    expect(preStopImageProblems('web-bff', exec, distroless).join('\n')).toContain('does not have');
  });
});

describe('the Redis checks catch a broken demo Redis', () => {
  const args =
    all.find((l) => l.doc.kind === 'Deployment' && l.doc.metadata.name === 'redis')?.doc.spec?.template?.spec
      ?.containers?.[0]?.args ?? [];
  const after = (flag: string) => `${C}.args.${args.indexOf(flag) + 1}`;
  const FROM = 'spec.ingress.0.from.0';

  it.each([
    ['no password', 'Deployment', after('--requirepass'), 'hunter2', 'no --requirepass $(VAR)'],
    [
      'a REDIS_URL without the password',
      'Secret',
      'stringData.REDIS_URL',
      'redis://redis.frontdoor.svc.cluster.local:6379',
      'REDIS_URL does not carry the password',
    ],
    [
      'a short password',
      'Secret',
      'stringData.REDIS_PASSWORD',
      'redis',
      'not 32 or more URL-safe characters',
    ],
    ['no append-only file', 'Deployment', after('--appendonly'), 'no', 'no append-only file'],
    [
      'data on an emptyDir',
      'Deployment',
      'spec.template.spec.volumes.0',
      { name: 'data', emptyDir: {} },
      'not on a PersistentVolumeClaim',
    ],
    [
      'an eviction policy that evicts API keys',
      'Deployment',
      after('--maxmemory-policy'),
      'allkeys-lru',
      'allkeys-*',
    ],
    [
      'no NetworkPolicy on its pods',
      'NetworkPolicy',
      'spec.podSelector.matchLabels',
      { 'app.kubernetes.io/name': 'other' },
      'no NetworkPolicy limits who may connect',
    ],
    [
      'every pod of the namespace admitted',
      'NetworkPolicy',
      `${FROM}.podSelector`,
      {},
      "not only the BFFs' pods",
    ],
    [
      'other namespaces admitted',
      'NetworkPolicy',
      `${FROM}.namespaceSelector`,
      {},
      "not only the BFFs' pods",
    ],
    [
      'a rule without "from"',
      'NetworkPolicy',
      'spec.ingress.0.from',
      undefined,
      'without "from" admits every pod',
    ],
    ['a rule on every port', 'NetworkPolicy', 'spec.ingress.0.ports', undefined, 'ports other than'],
    [
      'partner-bff left out',
      'NetworkPolicy',
      `${FROM}.podSelector.matchExpressions.0.values`,
      ['web-bff', 'mobile-bff'],
      "no NetworkPolicy admits partner-bff's pods",
    ],
  ])('%s', (_case, kind, path, value, problem) => {
    const name = kind === 'Secret' ? 'frontdoor-redis' : 'redis';
    expect(redisProblems(broken(kind, name, path, value)).join('\n')).toContain(problem);
  });
});
