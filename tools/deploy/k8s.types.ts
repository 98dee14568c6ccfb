/** The parts of Kubernetes objects that the cross-reference checks read (the schema itself is kubernetes-models'). */
export type Labels = Readonly<Record<string, string>>;

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port?: string | number };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly envFrom?: readonly {
    readonly configMapRef?: { readonly name: string };
    readonly secretRef?: { readonly name: string };
  }[];
  readonly env?: readonly {
    readonly name: string;
    readonly value?: string;
    readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
  }[];
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

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Labels };
  readonly data?: Labels;
  readonly stringData?: Labels;
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: Labels | { readonly matchLabels?: Labels };
    readonly template?: {
      readonly metadata?: { readonly labels?: Labels };
      readonly spec?: {
        readonly securityContext?: { readonly runAsNonRoot?: boolean };
        readonly containers?: readonly Container[];
        readonly volumes?: readonly {
          readonly name: string;
          readonly secret?: { readonly secretName: string };
        }[];
      };
    };
    readonly ports?: readonly { readonly port: number; readonly targetPort?: string | number }[];
    readonly scaleTargetRef?: { readonly apiVersion?: string; readonly kind: string; readonly name: string };
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
    readonly metrics?: readonly { readonly type: string; readonly resource?: { readonly name: string } }[];
    readonly minAvailable?: number | string;
  };
}

/** A manifest and where it was read. */
export interface Located {
  readonly where: string;
  readonly doc: Manifest;
}
