import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { REPO_ROOT } from '../backend/backendProcess';
import { parseDockerfile } from './dockerfile';
import type {
  Container,
  DeploymentObject,
  Probe,
  SecurityContext,
  ServiceObject,
} from './kubeObjects';
import {
  BASE_DIR,
  OVERLAY_DIR,
  SECRET_EXAMPLE,
  type KubeObject,
  type ManifestFile,
  only,
  quantity,
  readBase,
  readKustomization,
  readManifestFile,
  renderOverlay,
  selects,
  substitutedVariables,
  unknownFields,
  unknownKustomizationFields,
  validationErrors,
  yamlFilesIn,
} from './manifests';

// deploy/kubernetes is plain YAML for `kubectl apply -k`; no cluster, kubectl or Kustomize here,
// so each object is checked against the Kubernetes API's schemas (kubernetes-models) and the
// relations between the objects are checked as a reviewer would.

const PRODUCTION_CONFIG = join(REPO_ROOT, 'app-config.production.yaml');
const HEALTH = {
  readiness: '/.backstage/health/v1/readiness',
  liveness: '/.backstage/health/v1/liveness',
};

const base: ManifestFile[] = readBase();
const deployment = only<DeploymentObject>(base, 'Deployment');
const pod = deployment.spec.template.spec;
const podLabels = deployment.spec.template.metadata.labels;
const container = pod.containers[0];
const productionConfig = parse(readFileSync(PRODUCTION_CONFIG, 'utf8'));

/** The container port a probe or Service names, by name or number. */
function containerPort(port: string | number | undefined): number | undefined {
  return container.ports?.find(p =>
    typeof port === 'number' ? p.containerPort === port : p.name === port,
  )?.containerPort;
}

/** A field of the pod's or the container's security context, the container's winning. */
function security<K extends keyof SecurityContext>(key: K): SecurityContext[K] {
  return container.securityContext?.[key] ?? pod.securityContext?.[key];
}

describe('deploy/kubernetes, the Kustomize base', () => {
  it('lists every resource file in the folder, and not the example Secret', () => {
    const kustomization = readKustomization(BASE_DIR);
    const listed = [...(kustomization.resources ?? [])].sort();
    const files = yamlFilesIn(BASE_DIR).filter(f => f !== 'kustomization.yaml');
    expect(listed).toEqual(files.filter(f => f !== SECRET_EXAMPLE));
    expect(files).toContain(SECRET_EXAMPLE);
    expect(unknownKustomizationFields(kustomization)).toEqual([]);
    expect(kustomization.kind).toBe('Kustomization');
  });

  it('holds only objects valid against the Kubernetes schemas, with no unknown field', () => {
    const files = [...base, readManifestFile(join(BASE_DIR, SECRET_EXAMPLE))];
    const errors = files.flatMap(({ file, objects }) =>
      objects.map(obj => validationErrors(file, obj)).flat(),
    );
    expect(errors).toEqual([]);
    expect(
      base
        .map(f => f.objects.map(o => o.kind))
        .flat()
        .sort(),
    ).toEqual([
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('runs two or more replicas, rolled one at a time, spread across nodes', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy?.type).toBe('RollingUpdate');
    expect(selects(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    const byNode = pod.topologySpreadConstraints?.find(
      c => c.topologyKey === 'kubernetes.io/hostname',
    );
    expect(byNode?.whenUnsatisfiable).toBe('DoNotSchedule');
    expect(selects(byNode?.labelSelector?.matchLabels, podLabels)).toBe(true);
  });

  it('listens on the port app-config.production.yaml sets, and the Service targets it', () => {
    const service = only<ServiceObject>(base, 'Service');
    const port = productionConfig.backend.listen.port;
    expect(container.ports?.map(p => p.containerPort)).toEqual([port]);
    expect(service.spec.ports).toHaveLength(1);
    expect(containerPort(service.spec.ports[0].targetPort)).toBe(port);
  });

  it('probes the Backstage health endpoints on the port the Service targets', () => {
    const service = only<ServiceObject>(base, 'Service');
    const servicePort = containerPort(service.spec.ports[0].targetPort);
    expect(container.readinessProbe?.httpGet?.path).toBe(HEALTH.readiness);
    expect(container.livenessProbe?.httpGet?.path).toBe(HEALTH.liveness);
    expect(Object.values(HEALTH)).toContain(
      container.startupProbe?.httpGet?.path,
    );
    for (const probe of [
      container.readinessProbe,
      container.livenessProbe,
      container.startupProbe,
    ]) {
      expect(containerPort(probe?.httpGet?.port)).toBe(servicePort);
    }
  });

  it('selects the pods it deploys from the Service, the PodDisruptionBudget and the NetworkPolicy', () => {
    const service = only<ServiceObject>(base, 'Service');
    const pdb = only<{
      spec: {
        minAvailable: number;
        selector: { matchLabels: Record<string, string> };
      };
    }>(base, 'PodDisruptionBudget');
    const policy = only<{
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: { from?: unknown[]; ports: { port: string | number }[] }[];
      };
    }>(base, 'NetworkPolicy');
    expect(selects(service.spec.selector, podLabels)).toBe(true);
    expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas!);
    expect(selects(policy.spec.podSelector.matchLabels, podLabels)).toBe(true);
    // Ingress to the backend's port and nothing else.
    expect(policy.spec.policyTypes).toContain('Ingress');
    const ports = policy.spec.ingress.flatMap(rule => rule.ports ?? []);
    expect(
      policy.spec.ingress.every(rule => (rule.ports ?? []).length > 0),
    ).toBe(true);
    expect(ports.map(p => containerPort(p.port))).toEqual([
      productionConfig.backend.listen.port,
    ]);
  });

  it("runs as a user that is not root, as the image's USER does", () => {
    const dockerfile = parseDockerfile(
      readFileSync(join(REPO_ROOT, 'packages/backend/Dockerfile'), 'utf8'),
    );
    const imageUser = dockerfile
      .at(-1)!
      .instructions.filter(i => i.keyword === 'USER')
      .at(-1)?.args;
    expect(imageUser).toBeDefined();
    expect(['root', '0']).not.toContain(imageUser!.split(':')[0]);
    expect(security('runAsNonRoot')).toBe(true);
    // The image's USER is a name (`node`); the kubelet proves runAsNonRoot only for a number.
    expect(security('runAsUser')).toBeGreaterThan(0);
  });

  it('locks the container down: read-only root, no privilege escalation, no capabilities, seccomp', () => {
    expect(security('readOnlyRootFilesystem')).toBe(true);
    expect(security('allowPrivilegeEscalation')).toBe(false);
    expect(security('capabilities')?.drop).toContain('ALL');
    expect(security('seccompProfile')?.type).toBe('RuntimeDefault');
    const account = only<{
      automountServiceAccountToken: boolean;
      metadata: { name: string };
    }>(base, 'ServiceAccount');
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(account.automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('gives the read-only container a writable /tmp and the scaffolder working directory', () => {
    // Backstage's scaffolder works in backend.workingDirectory, os.tmpdir() when unset.
    const workingDirectory: string =
      productionConfig.backend.workingDirectory ?? '/tmp';
    const writable = (container.volumeMounts ?? []).filter(mount =>
      pod.volumes?.some(v => v.name === mount.name && v.emptyDir),
    );
    const paths = writable.map(m => m.mountPath);
    expect(paths).toContain('/tmp');
    expect(
      paths.some(
        p => workingDirectory === p || workingDirectory.startsWith(`${p}/`),
      ),
    ).toBe(true);
  });

  it('requests and limits CPU and memory, sized above the backend footprint', () => {
    const { requests = {}, limits = {} } = container.resources ?? {};
    // Backstage 1.55's backend holds ~0.55 GB RSS once ready (docs/performance.md).
    const measuredRss = 0.55e9;
    expect(quantity(requests.memory)).toBeGreaterThan(measuredRss);
    expect(quantity(limits.memory)).toBeGreaterThanOrEqual(
      quantity(requests.memory),
    );
    expect(quantity(requests.cpu)).toBeGreaterThan(0);
    expect(quantity(limits.cpu)).toBeGreaterThanOrEqual(quantity(requests.cpu));
    // A heap ceiling, when set, fits below the memory limit.
    const heap = /--max-old-space-size=(\d+)/.exec(
      container.env?.find(e => e.name === 'NODE_OPTIONS')?.value ?? '',
    );
    const heapBytes = heap ? Number(heap[1]) * 2 ** 20 : 0;
    expect(heapBytes).toBeLessThan(quantity(limits.memory));
  });

  it('reads its environment from the Secret, whose keys cover every ${VAR} of the production config', () => {
    const secretName = container.envFrom?.find(e => e.secretRef)?.secretRef
      ?.name;
    const example = readManifestFile(join(BASE_DIR, SECRET_EXAMPLE));
    const secret = example.objects[0] as KubeObject & {
      stringData: Record<string, string>;
    };
    expect(secretName).toBe('paver-backend');
    expect(secret.kind).toBe('Secret');
    expect(secret.metadata.name).toBe(secretName);
    const variables = substitutedVariables(PRODUCTION_CONFIG);
    // The config as committed substitutes these; the list guards the parser, not the config.
    expect(variables).toEqual(
      expect.arrayContaining([
        'POSTGRES_HOST',
        'BACKEND_SECRET',
        'GITHUB_TOKEN',
      ]),
    );
    const missing = variables.filter(name => !(name in secret.stringData));
    expect(missing).toEqual([]);
    expect(readFileSync(join(BASE_DIR, SECRET_EXAMPLE), 'utf8')).toContain(
      'NOT FOR USE',
    );
  });
});

describe('deploy/overlays/example', () => {
  const overlay = readKustomization(OVERLAY_DIR);

  it('builds on the base and sets the image, the replicas and the namespace', () => {
    expect(unknownKustomizationFields(overlay)).toEqual([]);
    expect(
      (overlay.resources ?? []).map(r => resolve(OVERLAY_DIR, r)),
    ).toContain(BASE_DIR);
    expect(overlay.namespace).toBeTruthy();
    expect(overlay.images?.map(i => i.name)).toEqual([container.image]);
    expect(overlay.replicas?.map(r => r.name)).toEqual([
      deployment.metadata.name,
    ]);
    expect(overlay.replicas![0].count).toBeGreaterThanOrEqual(2);
  });

  it('renders objects that are still valid, with the operator’s settings applied', () => {
    const rendered = renderOverlay(OVERLAY_DIR);
    const errors = rendered.flatMap(obj =>
      validationErrors('deploy/overlays/example (rendered)', obj),
    );
    expect(errors).toEqual([]);
    const renderedDeployment = rendered.find(
      o => o.kind === 'Deployment',
    ) as DeploymentObject;
    const image = overlay.images![0];
    expect(renderedDeployment.spec.template.spec.containers[0].image).toBe(
      `${image.newName}:${image.newTag}`,
    );
    expect(renderedDeployment.spec.replicas).toBe(overlay.replicas![0].count);
    expect(
      rendered.every(o => o.metadata.namespace === overlay.namespace),
    ).toBe(true);
  });
});

describe('the validation itself', () => {
  const broken = (): KubeObject => structuredClone(deployment);

  it('catches a wrong type, naming the field', () => {
    const obj = broken();
    (obj.spec as { replicas: unknown }).replicas = 'two';
    expect(validationErrors('broken.yaml', obj)).toEqual([
      'broken.yaml: Deployment paver-backend: data/spec/replicas must be integer',
    ]);
  });

  it('catches a missing required field', () => {
    const obj = broken() as DeploymentObject;
    delete (obj.spec.template.spec.containers[0] as Partial<Container>).name;
    expect(validationErrors('broken.yaml', obj)).toEqual([
      'broken.yaml: Deployment paver-backend: data/spec/template/spec/containers/0 must have required property name',
    ]);
  });

  it('catches a misspelt field, which the schemas alone let through', () => {
    const obj = broken() as DeploymentObject;
    const misspelt = obj.spec.template.spec.containers[0] as Container & {
      readinessProb?: Probe;
    };
    misspelt.readinessProb = misspelt.readinessProbe;
    delete misspelt.readinessProbe;
    expect(() => new Deployment(obj as never).validate()).not.toThrow();
    expect(unknownFields(Deployment as never, obj)).toEqual([
      '/spec/template/spec/containers/0/readinessProb',
    ]);
    expect(validationErrors('broken.yaml', obj)).toEqual([
      'broken.yaml: Deployment paver-backend: data/spec/template/spec/containers/0/readinessProb is not a field of Deployment',
    ]);
  });

  it('catches a kind it has no schema for', () => {
    expect(
      validationErrors('broken.yaml', {
        apiVersion: 'apps/v1',
        kind: 'Deploymnet',
        metadata: { name: 'x' },
      }),
    ).toEqual([
      'broken.yaml: Deploymnet x: no schema for apiVersion apps/v1, kind Deploymnet',
    ]);
  });

  it('sees a selector that does not match the pod labels', () => {
    expect(selects({ 'app.kubernetes.io/name': 'other' }, podLabels)).toBe(
      false,
    );
    expect(selects({}, podLabels)).toBe(false);
  });
});
