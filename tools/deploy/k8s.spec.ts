import { BFFS, healthRoutes, readRepoFile, yamlDocuments, yamlFilesUnder } from './deploy-files';
import { bffProblems, redisProblems, referenceProblems, schemaProblems } from './k8s.checks';
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
 * A deep copy of every manifest with one value of one of them replaced (`undefined`: removed), for the rows that
 * prove a check can fail. `path` is dotted, array indexes included (`spec.ports.0.port`).
 */
function broken(kind: string, name: string, path: string, value: unknown): Located[] {
  return all.map(({ where, doc }) => {
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

  it('Redis: a Deployment and Service, and the REDIS_URL Secret names that Service', () => {
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
    [
      'no resource limits',
      'Deployment',
      'web-bff',
      `${C}.resources.limits`,
      undefined,
      'no cpu/memory limits',
    ],
    [
      'the signing key off any Secret volume',
      'ConfigMap',
      'web-bff-config',
      'data.GATEWAY_SIGNING_KEY_FILE',
      '/app/key.pem',
      'GATEWAY_SIGNING_KEY_FILE is not on a mounted Secret',
    ],
  ])('web-bff: %s', (_case, kind, name, path, value, problem) => {
    expect(bffProblems('web-bff', broken(kind, name, path, value), routes).join('\n')).toContain(problem);
  });
});
