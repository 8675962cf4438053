import type { KubeObject } from './manifests';

// The fields of Kubernetes objects the deploy checks read (the Paver backend's base and a
// generated service's), as the manifests write them; kubernetes-models validates the rest.

export interface Probe {
  httpGet?: { path?: string; port?: string | number };
  exec?: { command?: string[] };
  tcpSocket?: { port?: string | number };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      fieldRef?: { fieldPath: string };
    };
  }[];
  envFrom?: { secretRef?: { name: string } }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type: string };
}
export interface DeploymentObject extends KubeObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    strategy?: { type?: string };
    template: {
      metadata: {
        labels: Record<string, string>;
        annotations?: Record<string, string>;
      };
      spec: {
        serviceAccountName?: string;
        automountServiceAccountToken?: boolean;
        terminationGracePeriodSeconds?: number;
        securityContext?: SecurityContext;
        topologySpreadConstraints?: {
          topologyKey: string;
          whenUnsatisfiable?: string;
          labelSelector?: { matchLabels?: Record<string, string> };
        }[];
        containers: Container[];
        volumes?: { name: string; emptyDir?: object }[];
      };
    };
  };
}
/** A Deployment's pod spec. */
export type PodSpec = DeploymentObject['spec']['template']['spec'];
export interface ServiceObject extends KubeObject {
  spec: {
    selector: Record<string, string>;
    ports: { port: number; targetPort?: string | number }[];
  };
}
