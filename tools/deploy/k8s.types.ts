/** The parts of Kubernetes objects that the cross-reference checks read (the schema itself is kubernetes-models'). */
export type Labels = Readonly<Record<string, string>>;

/** A label selector: `matchLabels` and `matchExpressions`, ANDed (an empty selector selects everything). */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port?: string | number };
  readonly exec?: { readonly command?: readonly string[] };
}

/** A lifecycle hook: Kubernetes' own sleep action or a command run in the container (the two this repo may use). */
export interface LifecycleHandler {
  readonly sleep?: { readonly seconds: number };
  readonly exec?: { readonly command?: readonly string[] };
  readonly httpGet?: unknown;
  readonly tcpSocket?: unknown;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly args?: readonly string[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly envFrom?: readonly {
    readonly configMapRef?: { readonly name: string };
    readonly secretRef?: { readonly name: string };
  }[];
  readonly env?: readonly EnvVar[];
  readonly lifecycle?: { readonly preStop?: LifecycleHandler; readonly postStart?: LifecycleHandler };
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly resources?: { readonly requests?: Labels; readonly limits?: Labels };
  readonly securityContext?: {
    readonly runAsNonRoot?: boolean;
    readonly readOnlyRootFilesystem?: boolean;
    readonly allowPrivilegeEscalation?: boolean;
    readonly capabilities?: { readonly drop?: readonly string[] };
  };
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string }[];
}

/** One peer of a NetworkPolicy rule: pods (of this namespace, or of the namespaces selected), or addresses. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string };
}

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Labels };
  readonly data?: Labels;
  readonly stringData?: Labels;
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: Labels | LabelSelector;
    readonly template?: {
      readonly metadata?: { readonly labels?: Labels };
      readonly spec?: {
        readonly terminationGracePeriodSeconds?: number;
        readonly securityContext?: { readonly runAsNonRoot?: boolean };
        readonly containers?: readonly Container[];
        readonly volumes?: readonly {
          readonly name: string;
          readonly secret?: { readonly secretName: string };
          readonly persistentVolumeClaim?: { readonly claimName: string };
        }[];
      };
    };
    readonly ports?: readonly { readonly port: number; readonly targetPort?: string | number }[];
    readonly scaleTargetRef?: { readonly apiVersion?: string; readonly kind: string; readonly name: string };
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
    readonly metrics?: readonly { readonly type: string; readonly resource?: { readonly name: string } }[];
    readonly minAvailable?: number | string;
    readonly maxUnavailable?: number | string;
    /** NetworkPolicy */
    readonly podSelector?: LabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly {
      readonly from?: readonly NetworkPolicyPeer[];
      readonly ports?: readonly { readonly protocol?: string; readonly port?: number | string }[];
    }[];
  };
}

/** A manifest and where it was read. */
export interface Located {
  readonly where: string;
  readonly doc: Manifest;
}
