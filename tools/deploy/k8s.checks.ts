import { APP_PORTS, ConfigError, type AppName } from '@frontdoor/config';
import { checkConfig, knownEnvNames } from './deploy-files';
import { validateManifest } from './k8s.models';
import type { Container, Labels, Located, Manifest } from './k8s.types';

const NAMESPACE = 'frontdoor';

const selects = (selector: Labels, labels: Labels = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
const podLabels = (d: Manifest) => d.spec?.template?.metadata?.labels ?? {};
const matchLabels = (d: Manifest) =>
  (d.spec?.selector as { matchLabels?: Labels } | undefined)?.matchLabels ?? {};
const find = (all: readonly Located[], kind: string, name: string) =>
  all.find((l) => l.doc.kind === kind && l.doc.metadata.name === name)?.doc;
const ofKind = (all: readonly Located[], kind: string) => all.filter((l) => l.doc.kind === kind);
const secretValue = (secret: Manifest | undefined, key: string) =>
  secret?.stringData?.[key] ??
  (secret?.data?.[key] !== undefined ? Buffer.from(secret.data[key], 'base64').toString() : undefined);

/** Every document that its Kubernetes schema (kubernetes-models) refuses, with kubernetes-models' reason. */
export function schemaProblems(all: readonly Located[]): string[] {
  return all.flatMap(({ where, doc }) => {
    try {
      validateManifest(doc);
      return [];
    } catch (error) {
      return [`${where} ${doc.kind}/${doc.metadata?.name}: ${(error as Error).message}`];
    }
  });
}

/** Names that must point at something: namespaces, Service/PDB selectors, HPA targets, config and secret refs. */
export function referenceProblems(all: readonly Located[]): string[] {
  const deployments = ofKind(all, 'Deployment').map((l) => l.doc);
  const problems: string[] = [];
  if (!find(all, 'Namespace', NAMESPACE)) problems.push(`no Namespace ${NAMESPACE}`);
  for (const { where, doc } of all) {
    if (doc.kind !== 'Namespace' && doc.metadata.namespace !== NAMESPACE)
      problems.push(`${where}: not in namespace ${NAMESPACE}`);
  }
  for (const { doc } of ofKind(all, 'Deployment')) {
    if (!selects(matchLabels(doc), podLabels(doc)))
      problems.push(`Deployment ${doc.metadata.name}: selector does not match its pods`);
  }
  for (const { doc } of [...ofKind(all, 'Service'), ...ofKind(all, 'PodDisruptionBudget')]) {
    const selector =
      doc.kind === 'Service' ? ((doc.spec?.selector as Labels | undefined) ?? {}) : matchLabels(doc);
    const hits = deployments.filter((d) => selects(selector, podLabels(d)));
    if (hits.length !== 1)
      problems.push(
        `${doc.kind} ${doc.metadata.name}: selects the pods of ${hits.length} Deployments, not 1`,
      );
  }
  for (const { doc } of ofKind(all, 'HorizontalPodAutoscaler')) {
    const ref = doc.spec?.scaleTargetRef;
    if (ref?.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || !find(all, 'Deployment', ref.name)) {
      problems.push(`HorizontalPodAutoscaler ${doc.metadata.name}: targets no existing Deployment`);
    }
  }
  for (const d of deployments) {
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      for (const ref of c.envFrom ?? []) {
        if (ref.configMapRef && !find(all, 'ConfigMap', ref.configMapRef.name))
          problems.push(`${c.name}: no ConfigMap ${ref.configMapRef.name}`);
        if (ref.secretRef && !find(all, 'Secret', ref.secretRef.name))
          problems.push(`${c.name}: no Secret ${ref.secretRef.name}`);
      }
      for (const { name, valueFrom } of c.env ?? []) {
        const ref = valueFrom?.secretKeyRef;
        if (ref && secretValue(find(all, 'Secret', ref.name), ref.key) === undefined)
          problems.push(`${c.name}: ${name} names no Secret key ${ref.name}/${ref.key}`);
      }
    }
  }
  return problems;
}

/** The environment a container gets: its ConfigMaps' data and its env entries (secret values resolved). */
function environmentOf(c: Container, all: readonly Located[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ref of c.envFrom ?? [])
    Object.assign(env, ref.configMapRef ? find(all, 'ConfigMap', ref.configMapRef.name)?.data : {});
  for (const { name, value, valueFrom } of c.env ?? []) {
    const ref = valueFrom?.secretKeyRef;
    env[name] = value ?? (ref ? (secretValue(find(all, 'Secret', ref.name), ref.key) ?? '') : '');
  }
  return env;
}

function envProblems(app: AppName, c: Container, all: readonly Located[]): string[] {
  const env = environmentOf(c, all);
  const known = knownEnvNames(app);
  const problems = Object.keys(env)
    .filter((name) => !known.has(name))
    .map((name) => `${app} sets ${name}, which the app does not read`);
  const redis = (c.env ?? []).find((e) => e.name === 'REDIS_URL');
  if (!redis?.valueFrom?.secretKeyRef) problems.push(`${app}: REDIS_URL does not come from a Secret`);
  if (env['PORT'] !== String(APP_PORTS[app])) problems.push(`${app}: PORT is not ${APP_PORTS[app]}`);
  const keyFile = env['GATEWAY_SIGNING_KEY_FILE'];
  const secretVolumes = new Set(
    (
      all.find((l) => l.doc.kind === 'Deployment' && l.doc.metadata.name === app)?.doc.spec?.template?.spec
        ?.volumes ?? []
    )
      .filter((v) => v.secret)
      .map((v) => v.name),
  );
  if (
    keyFile &&
    !(c.volumeMounts ?? []).some((m) => secretVolumes.has(m.name) && keyFile.startsWith(`${m.mountPath}/`))
  ) {
    problems.push(`${app}: GATEWAY_SIGNING_KEY_FILE is not on a mounted Secret`);
  }
  try {
    checkConfig(app, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(`${app}: ${error.message}`);
  }
  return problems;
}

function containerProblems(app: AppName, c: Container, routes: readonly string[]): string[] {
  const problems: string[] = [];
  const http = (c.ports ?? []).find((p) => p.name === 'http');
  if (http?.containerPort !== APP_PORTS[app]) problems.push(`${app}: no port "http" = ${APP_PORTS[app]}`);
  if (!c.image?.startsWith(`frontdoor/${app}:`))
    problems.push(`${app}: image ${c.image} is not frontdoor/${app}`);
  const probes = { readinessProbe: '/health/ready', livenessProbe: '/health/live' } as const;
  for (const [probe, path] of Object.entries(probes) as [keyof typeof probes, string][]) {
    const get = c[probe]?.httpGet;
    if (
      get?.path !== path ||
      !routes.includes(path) ||
      (get.port !== 'http' && get.port !== APP_PORTS[app])
    ) {
      problems.push(
        `${app}: ${probe} is not GET ${path} on the app's port (health routes served: ${routes.join(', ')})`,
      );
    }
  }
  for (const part of ['requests', 'limits'] as const) {
    if (!c.resources?.[part]?.['cpu'] || !c.resources[part]?.['memory'])
      problems.push(`${app}: no cpu/memory ${part}`);
  }
  const sc = c.securityContext;
  if (
    !sc?.runAsNonRoot ||
    !sc.readOnlyRootFilesystem ||
    sc.allowPrivilegeEscalation !== false ||
    !sc.capabilities?.drop?.includes('ALL')
  ) {
    problems.push(
      `${app}: securityContext is not non-root, read-only, no privilege escalation, all capabilities dropped`,
    );
  }
  return problems;
}

/** Everything one BFF needs: Deployment (2 replicas), Service, HPA on CPU, PDB minAvailable 1, a sound container. */
export function bffProblems(app: AppName, all: readonly Located[], routes: readonly string[]): string[] {
  const deployment = find(all, 'Deployment', app);
  const containers = deployment?.spec?.template?.spec?.containers ?? [];
  if (!deployment || containers.length !== 1) return [`${app}: no Deployment with one container`];
  const problems = [
    ...containerProblems(app, containers[0], routes),
    ...envProblems(app, containers[0], all),
  ];
  if (deployment.spec?.replicas !== 2) problems.push(`${app}: replicas is not 2`);
  const service = find(all, 'Service', app);
  if (!service || !selects((service.spec?.selector as Labels) ?? {}, podLabels(deployment)))
    problems.push(`${app}: no Service selecting its pods`);
  if (service && !(service.spec?.ports ?? []).some((p) => p.targetPort === 'http'))
    problems.push(`${app}: Service does not target port "http"`);
  const hpa = find(all, 'HorizontalPodAutoscaler', app);
  if (
    hpa?.spec?.scaleTargetRef?.name !== app ||
    !hpa.spec.metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu')
  ) {
    problems.push(`${app}: no HorizontalPodAutoscaler on CPU targeting it`);
  }
  if ((hpa?.spec?.minReplicas ?? 0) < 2) problems.push(`${app}: HPA may scale below 2`);
  const pdb = find(all, 'PodDisruptionBudget', app);
  if (pdb?.spec?.minAvailable !== 1 || !selects(matchLabels(pdb), podLabels(deployment)))
    problems.push(`${app}: no PodDisruptionBudget minAvailable 1 for its pods`);
  return problems;
}

/** The demo Redis: a Deployment, a Service, and the Secret's REDIS_URL naming that Service. */
export function redisProblems(all: readonly Located[]): string[] {
  const service = find(all, 'Service', 'redis');
  const problems = find(all, 'Deployment', 'redis') && service ? [] : ['no redis Deployment and Service'];
  const url = secretValue(find(all, 'Secret', 'frontdoor-redis'), 'REDIS_URL');
  const parsed = url ? new URL(url) : undefined;
  if (
    parsed?.hostname !== `redis.${NAMESPACE}.svc.cluster.local` ||
    !service?.spec?.ports?.some((p) => String(p.port) === parsed.port)
  ) {
    problems.push(`Secret frontdoor-redis: REDIS_URL ${url} does not name the redis Service`);
  }
  return problems;
}
