import { APP_PORTS, ConfigError, type AppName } from '@frontdoor/config';
import { BFFS, appConfig, checkConfig, demoDefaultsOf, knownEnvNames } from './deploy-files';
import { parseDockerfile } from './dockerfile';
import { validateManifest } from './k8s.models';
import type { Container, LabelSelector, Labels, Located, Manifest } from './k8s.types';

const NAMESPACE = 'frontdoor';

/** The least a preStop must wait: endpoint removal takes a few seconds to reach kube-proxy and the ingress. */
export const MIN_PRESTOP_S = 3;
/** What the grace period keeps beyond preStop + SHUTDOWN_DRAIN_MS: closing pools and stores, flushing the log. */
export const SHUTDOWN_MARGIN_S = 5;
/**
 * The idle timeout of the proxy in front that deploy/k8s assumes (README "Keep-alive"): ingress-nginx's
 * upstream-keepalive-timeout and an AWS ALB's idle timeout, 60 s by default. KEEP_ALIVE_TIMEOUT_MS must exceed it.
 */
export const INGRESS_IDLE_TIMEOUT_MS = 60_000;
const MiB = 1024 * 1024;
/** docs/benchmarks.md: the leanest app's steady RSS with its in-process stores full (partner-bff, 172–176 MiB). */
export const MIN_MEMORY_REQUEST = 192 * MiB;
/** docs/benchmarks.md: 100 req/s of the soak's heaviest mixed load (~2.5 ms of CPU per request). */
export const MIN_CPU_REQUEST = 0.25;
/** TRUST_PROXY: no range wider than these prefixes (a whole private network is never one ingress). */
const TRUST_PROXY_MIN_PREFIX = { v4: 16, v6: 48 } as const;

const selects = (selector: Labels, labels: Labels = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
const podLabels = (d: Manifest) => d.spec?.template?.metadata?.labels ?? {};
const matchLabels = (d: Manifest) =>
  (d.spec?.selector as { matchLabels?: Labels } | undefined)?.matchLabels ?? {};
/** A LabelSelector's verdict on `labels` (Kubernetes' rules: every matchLabels entry and every expression). */
export function selectorMatches(selector: LabelSelector, labels: Labels = {}): boolean {
  return (
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      if (operator === 'Exists') return value !== undefined;
      return value === undefined;
    })
  );
}

/**
 * A Kubernetes quantity as a number: CPU in cores (`250m` → 0.25, `"1"` → 1), memory in bytes (`256Mi`).
 * undefined for what it cannot read (exponent forms, typos).
 */
export function quantity(value: string | number | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value ?? ''));
  if (!match) return undefined;
  const factor: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: MiB,
    Gi: 1024 * MiB,
    Ti: 1024 * 1024 * MiB,
  };
  return Number(match[1]) * (match[2] ? factor[match[2]] : 1);
}

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

function envProblems(
  app: AppName,
  c: Container,
  env: Readonly<Record<string, string>>,
  all: readonly Located[],
): string[] {
  const known = knownEnvNames(app);
  const problems = Object.keys(env)
    .filter((name) => !known.has(name))
    .map((name) => `${app} sets ${name}, which the app does not read`);
  const redis = (c.env ?? []).find((e) => e.name === 'REDIS_URL');
  if (!redis?.valueFrom?.secretKeyRef) problems.push(`${app}: REDIS_URL does not come from a Secret`);
  if (env['PORT'] !== String(APP_PORTS[app])) problems.push(`${app}: PORT is not ${APP_PORTS[app]}`);
  const demo = demoDefaultsOf(app, env);
  if (demo.length > 0) problems.push(`${app}: ${demo.join(', ')} left on the demo estate's defaults`);
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
  problems.push(...resourceProblems(app, c));
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

/**
 * Requests and limits from docs/benchmarks.md: a memory request no lower than the measured steady RSS, within a memory
 * limit; a CPU request for the measured load; no CPU limit below a whole core (CFS throttling of GC and libuv threads).
 */
function resourceProblems(app: AppName, c: Container): string[] {
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  const problems: string[] = [];
  if (!requests['cpu'] || !requests['memory']) problems.push(`${app}: no cpu/memory requests`);
  if (!limits['memory']) problems.push(`${app}: no memory limit`);
  const memoryRequest = quantity(requests['memory']);
  const memoryLimit = quantity(limits['memory']);
  if (memoryRequest !== undefined && memoryRequest < MIN_MEMORY_REQUEST)
    problems.push(
      `${app}: memory request ${requests['memory']} is below the RSS measured with full stores (at least ${MIN_MEMORY_REQUEST / MiB}Mi, docs/benchmarks.md)`,
    );
  if (memoryRequest !== undefined && memoryLimit !== undefined && memoryRequest > memoryLimit)
    problems.push(`${app}: memory request ${requests['memory']} above its limit ${limits['memory']}`);
  const cpuRequest = quantity(requests['cpu']);
  if (cpuRequest !== undefined && cpuRequest < MIN_CPU_REQUEST)
    problems.push(
      `${app}: cpu request ${requests['cpu']} is below the measured load (at least ${MIN_CPU_REQUEST * 1000}m)`,
    );
  if (limits['cpu'] !== undefined && (quantity(limits['cpu']) ?? 0) < 1)
    problems.push(
      `${app}: cpu limit ${limits['cpu']} is below one core (CFS throttles the event loop during GC)`,
    );
  return problems;
}

/** How long the container's preStop waits: Kubernetes' sleep action, or an exec of /bin/sleep N; else undefined. */
export function preStopSleepSeconds(c: Container): number | undefined {
  const hook = c.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds;
  const [command, seconds, ...rest] = hook?.exec?.command ?? [];
  return /^(\/usr)?\/bin\/sleep$/.test(command ?? '') && /^\d+$/.test(seconds ?? '') && rest.length === 0
    ? Number(seconds)
    : undefined;
}

/**
 * Endpoint removal runs in parallel with SIGTERM, and the app refuses new connections at SIGTERM: a preStop sleep
 * covers the gap, and the grace period (counted from the preStop's start) covers preStop + drain + a margin.
 */
function shutdownProblems(
  app: AppName,
  deployment: Manifest,
  c: Container,
  env: Readonly<Record<string, string>>,
): string[] {
  const sleep = preStopSleepSeconds(c);
  if (sleep === undefined)
    return [
      `${app}: no preStop sleep (lifecycle.preStop.sleep, or exec /bin/sleep N): new connections still arrive for a few seconds after SIGTERM, which refuses them`,
    ];
  const problems =
    sleep < MIN_PRESTOP_S ? [`${app}: preStop sleeps ${sleep} s, less than ${MIN_PRESTOP_S} s`] : [];
  const drainMs = appConfig(app, env)?.shutdownDrainMs;
  const grace = deployment.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
  if (drainMs !== undefined && grace < sleep + Math.ceil(drainMs / 1000) + SHUTDOWN_MARGIN_S)
    problems.push(
      `${app}: terminationGracePeriodSeconds ${grace} < preStop ${sleep} s + SHUTDOWN_DRAIN_MS ${drainMs / 1000} s + ${SHUTDOWN_MARGIN_S} s margin`,
    );
  return problems;
}

/** An exec preStop runs in the image: its final stage must have the command (Debian's node images do, distroless not). */
export function preStopImageProblems(app: AppName, all: readonly Located[], dockerfile: string): string[] {
  const c = find(all, 'Deployment', app)?.spec?.template?.spec?.containers?.[0];
  const command = c?.lifecycle?.preStop?.exec?.command;
  if (!command) return [];
  const final = parseDockerfile(dockerfile)
    .filter((i) => i.keyword === 'FROM')
    .map((i) => i.args)
    .at(-1);
  return /^node:\d+-(bookworm|bullseye|trixie)(-slim)?(\s|$)/.test(final ?? '')
    ? []
    : [
        `${app}: preStop runs ${command[0]}, which the image's final stage ${final} does not have (distroless has no sleep): use lifecycle.preStop.sleep`,
      ];
}

/** The proxy in front: believed only from a narrow range, and never reusing a connection the app is closing. */
function frontProxyProblems(app: AppName, env: Readonly<Record<string, string>>): string[] {
  const problems = (env['TRUST_PROXY'] ?? '')
    .split(',')
    .map((cidr) => cidr.trim())
    .filter((cidr) => cidr !== '')
    .flatMap((cidr) => {
      const [address = '', bits] = cidr.split('/');
      const least = address.includes(':') ? TRUST_PROXY_MIN_PREFIX.v6 : TRUST_PROXY_MIN_PREFIX.v4;
      return bits !== undefined && Number(bits) < least
        ? [
            `${app}: TRUST_PROXY ${cidr} is wider than /${least}: name the ingress controller's range, not a whole network`,
          ]
        : [];
    });
  const keepAliveMs = appConfig(app, env)?.keepAliveTimeoutMs;
  if (keepAliveMs !== undefined && keepAliveMs <= INGRESS_IDLE_TIMEOUT_MS)
    problems.push(
      `${app}: KEEP_ALIVE_TIMEOUT_MS ${keepAliveMs} is not above the ingress's idle timeout (${INGRESS_IDLE_TIMEOUT_MS}): the proxy may reuse a connection the app is closing`,
    );
  return problems;
}

/** Everything one BFF needs: Deployment (2 replicas), Service, HPA on CPU, PDB maxUnavailable 1, a sound container. */
export function bffProblems(app: AppName, all: readonly Located[], routes: readonly string[]): string[] {
  const deployment = find(all, 'Deployment', app);
  const containers = deployment?.spec?.template?.spec?.containers ?? [];
  if (!deployment || containers.length !== 1) return [`${app}: no Deployment with one container`];
  const env = environmentOf(containers[0], all);
  const problems = [
    ...containerProblems(app, containers[0], routes),
    ...envProblems(app, containers[0], env, all),
    ...shutdownProblems(app, deployment, containers[0], env),
    ...frontProxyProblems(app, env),
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
  // maxUnavailable, not minAvailable 1: with the HPA at 6 replicas, minAvailable 1 lets a drain evict 5 at once
  const pdb = find(all, 'PodDisruptionBudget', app);
  if (
    pdb?.spec?.maxUnavailable !== 1 ||
    pdb.spec.minAvailable !== undefined ||
    !selects(matchLabels(pdb), podLabels(deployment))
  )
    problems.push(`${app}: no PodDisruptionBudget maxUnavailable 1 for its pods`);
  return problems;
}

/** The value after `flag` in an argument list (`--appendonly yes`). */
const argAfter = (args: readonly string[], flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};

/** The app names a NetworkPolicy peer selector is restricted to (`app.kubernetes.io/name` = / In), or undefined. */
function selectedNames(selector: LabelSelector): readonly string[] | undefined {
  const name = 'app.kubernetes.io/name';
  const fromLabels = selector.matchLabels?.[name];
  if (fromLabels !== undefined) return [fromLabels];
  return selector.matchExpressions?.find((e) => e.key === name && e.operator === 'In')?.values;
}

/** Who may connect to Redis: NetworkPolicies selecting its pods must admit the BFFs' pods, on Redis's port, and nobody else. */
function redisNetworkProblems(all: readonly Located[], redis: Manifest): string[] {
  const policies = ofKind(all, 'NetworkPolicy')
    .map((l) => l.doc)
    .filter((p) => selectorMatches(p.spec?.podSelector ?? {}, podLabels(redis)))
    .filter((p) => (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress'));
  if (policies.length === 0) return ['redis: no NetworkPolicy limits who may connect to it'];
  const deployments = ofKind(all, 'Deployment').map((l) => l.doc);
  const bffs: readonly string[] = BFFS;
  const admitted = new Set<string>();
  const problems: string[] = [];
  for (const policy of policies) {
    const name = `NetworkPolicy ${policy.metadata.name}`;
    for (const rule of policy.spec?.ingress ?? []) {
      if (!rule.from?.length) problems.push(`${name}: a rule without "from" admits every pod and address`);
      if (!rule.ports?.length || rule.ports.some((p) => p.port !== 6379 && p.port !== 'redis'))
        problems.push(`${name}: a rule admits ports other than Redis's 6379`);
      for (const peer of rule.from ?? []) {
        const names =
          peer.podSelector && !peer.namespaceSelector && !peer.ipBlock
            ? selectedNames(peer.podSelector)
            : undefined;
        if (!names || names.some((n) => !bffs.includes(n))) {
          problems.push(`${name}: admits ${JSON.stringify(peer)}, not only the BFFs' pods`);
          continue;
        }
        for (const d of deployments)
          if (peer.podSelector && selectorMatches(peer.podSelector, podLabels(d)))
            admitted.add(d.metadata.name);
      }
    }
  }
  for (const app of BFFS)
    if (!admitted.has(app)) problems.push(`redis: no NetworkPolicy admits ${app}'s pods`);
  return problems;
}

/**
 * The demo Redis: a Deployment and Service; a password from a Secret, carried by the BFFs' REDIS_URL; an append-only
 * file on a PersistentVolumeClaim; an eviction policy that never evicts API key records (they have no TTL); a
 * NetworkPolicy admitting only the BFFs.
 */
export function redisProblems(all: readonly Located[]): string[] {
  const service = find(all, 'Service', 'redis');
  const deployment = find(all, 'Deployment', 'redis');
  const problems = deployment && service ? [] : ['no redis Deployment and Service'];
  const url = secretValue(find(all, 'Secret', 'frontdoor-redis'), 'REDIS_URL');
  const parsed = url ? new URL(url) : undefined;
  if (
    parsed?.hostname !== `redis.${NAMESPACE}.svc.cluster.local` ||
    !service?.spec?.ports?.some((p) => String(p.port) === parsed.port)
  ) {
    problems.push(`Secret frontdoor-redis: REDIS_URL does not name the redis Service`);
  }
  const c = deployment?.spec?.template?.spec?.containers?.[0];
  if (!deployment || !c) return problems;
  const args = c.args ?? [];
  const variable = /^\$\(([A-Za-z_]\w*)\)$/.exec(argAfter(args, '--requirepass') ?? '')?.[1];
  const ref = c.env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef;
  const password = ref ? secretValue(find(all, 'Secret', ref.name), ref.key) : undefined;
  if (!password) problems.push('redis: no --requirepass $(VAR) with VAR from a Secret key');
  else {
    if (password.length < 32 || encodeURIComponent(password) !== password)
      problems.push('redis: the password is not 32 or more URL-safe characters');
    if (!parsed || decodeURIComponent(parsed.password) !== password)
      problems.push('Secret frontdoor-redis: REDIS_URL does not carry the password Redis requires');
  }
  if (argAfter(args, '--appendonly') !== 'yes')
    problems.push('redis: no append-only file (--appendonly yes)');
  const data = c.volumeMounts?.find((m) => m.mountPath === (argAfter(args, '--dir') ?? '/data'));
  const claim = deployment.spec?.template?.spec?.volumes?.find(
    (v) => v.name === data?.name,
  )?.persistentVolumeClaim;
  if (!claim || !find(all, 'PersistentVolumeClaim', claim.claimName))
    problems.push('redis: its data directory is not on a PersistentVolumeClaim of these manifests');
  const policy = argAfter(args, '--maxmemory-policy');
  if (!argAfter(args, '--maxmemory') || !/^(noeviction|volatile-(lru|lfu|ttl|random))$/.test(policy ?? ''))
    problems.push(
      `redis: no --maxmemory with a policy that spares keys without a TTL (got ${policy}): allkeys-* evicts partner API keys`,
    );
  return [...problems, ...redisNetworkProblems(all, deployment)];
}
