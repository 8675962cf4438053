import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYamlSafe, parseYamlStreamSafe } from '@paver/golden-path';
import { z } from 'zod';
import { DevStackError } from '../errors';

/** One `env:` entry of a container, as Kubernetes has it. */
export type EnvVar = z.infer<typeof envVarSchema>;

/** A process of a service: one container of one of its Deployments. */
export interface Workload {
  /** The Deployment's name: `billing-api`, `notification-api-worker`. */
  readonly name: string;
  readonly command: readonly string[];
  readonly env: readonly EnvVar[];
  /** Secrets whose every key becomes a variable (`envFrom: secretRef`). */
  readonly envFromSecrets: readonly string[];
  /** The readiness probe's HTTP path, if it has one. */
  readonly readyPath?: string;
}

/** A service repository as `paver dev` runs it. */
export interface DevService {
  /** The Component's name in catalog-info.yaml. */
  readonly name: string;
  readonly dir: string;
  /** Components it calls or whose events it receives (dependsOn, consumesApis `<name>-events`). */
  readonly needs: readonly string[];
  readonly workloads: readonly Workload[];
}

const KUSTOMIZATION = 'deploy/kubernetes/kustomization.yaml';

const envVarSchema = z.object({
  name: z.string().min(1),
  value: z.string().optional(),
  valueFrom: z
    .object({
      secretKeyRef: z.object({ name: z.string(), key: z.string() }).optional(),
      fieldRef: z.object({ fieldPath: z.string() }).optional(),
    })
    .optional(),
});

const containerSchema = z.object({
  name: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVarSchema).optional(),
  envFrom: z
    .array(z.object({ secretRef: z.object({ name: z.string() }).optional() }))
    .optional(),
  readinessProbe: z
    .object({ httpGet: z.object({ path: z.string() }).optional() })
    .optional(),
});

const deploymentSchema = z.object({
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    template: z.object({
      spec: z.object({ containers: z.array(containerSchema).min(1) }),
    }),
  }),
});

/** What a Deployment patch may change: its containers, matched by name. */
const deploymentPatchSchema = z.object({
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z
    .object({
      template: z
        .object({
          spec: z
            .object({ containers: z.array(containerSchema).optional() })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

type Container = z.infer<typeof containerSchema>;
type Deployment = z.infer<typeof deploymentSchema>;

const kustomizationSchema = z.object({
  resources: z.array(z.string()).default([]),
  patches: z.array(z.object({ patch: z.string().optional() })).default([]),
});

const componentSchema = z.object({
  kind: z.literal('Component'),
  metadata: z.object({ name: z.string() }),
  spec: z
    .object({
      dependsOn: z.array(z.string()).optional(),
      consumesApis: z.array(z.string()).optional(),
    })
    .optional(),
});

/**
 * Reads a service repository the way its deployment runs it: the Component in catalog-info.yaml
 * and the Deployments of its Kustomize base, with the base's inline patches applied to their
 * containers' env and envFrom. A container without a command runs the Dockerfile's CMD.
 */
export function readService(dir: string): DevService {
  const component = readComponent(dir);
  const deployments = readDeployments(dir);
  const cmd = dockerfileCmd(dir);
  const workloads = deployments.map(deployment => {
    const container = deployment.spec.template.spec.containers[0];
    const command = container.command ?? cmd;
    if (!command)
      throw new DevStackError(
        `${path.join(dir, 'Dockerfile')}: no CMD ["…"] for the ${
          deployment.metadata.name
        } container, which has no command`,
      );
    return {
      name: deployment.metadata.name,
      command: [...command, ...(container.args ?? [])],
      env: container.env ?? [],
      envFromSecrets: (container.envFrom ?? []).flatMap(from =>
        from.secretRef ? [from.secretRef.name] : [],
      ),
      readyPath: container.readinessProbe?.httpGet?.path,
    };
  });
  return {
    name: component.metadata.name,
    dir,
    needs: neededComponents(component),
    workloads,
  };
}

function neededComponents(component: z.infer<typeof componentSchema>) {
  const dependsOn = (component.spec?.dependsOn ?? [])
    .filter(ref => ref.startsWith('component:'))
    .map(ref => entityName(ref));
  const producers = (component.spec?.consumesApis ?? [])
    .map(ref => entityName(ref))
    .filter(name => name.endsWith('-events'))
    .map(name => name.slice(0, -'-events'.length));
  return [...new Set([...dependsOn, ...producers])];
}

/** `component:default/auth-api`, `component:auth-api` or `auth-api` → `auth-api`. */
const entityName = (ref: string) =>
  ref
    .replace(/^[^:]*:/, '')
    .split('/')
    .pop()!;

function readComponent(dir: string) {
  const file = path.join(dir, 'catalog-info.yaml');
  const documents = parseYamlStreamSafe(readText(file), {
    label: file,
    errorType: DevStackError,
  });
  const found = documents.find(
    doc => (doc as { kind?: unknown } | null)?.kind === 'Component',
  );
  if (!found) throw new DevStackError(`${file}: no Component`);
  return parse(componentSchema, found, `${file}: the Component`);
}

function readDeployments(dir: string): Deployment[] {
  const file = path.join(dir, KUSTOMIZATION);
  const kustomization = parse(
    kustomizationSchema,
    parseYamlSafe(readText(file), { label: file, errorType: DevStackError }),
    file,
  );
  const deployments = kustomization.resources.flatMap(resource => {
    const resourceFile = path.join(path.dirname(file), resource);
    return parseYamlStreamSafe(readText(resourceFile), {
      label: resourceFile,
      errorType: DevStackError,
    })
      .filter(doc => (doc as { kind?: unknown } | null)?.kind === 'Deployment')
      .map(doc => parse(deploymentSchema, doc, resourceFile));
  });
  if (deployments.length === 0)
    throw new DevStackError(`${file}: its resources hold no Deployment`);
  for (const { patch } of kustomization.patches) {
    if (patch) applyContainerPatch(deployments, patch, file);
  }
  return deployments;
}

/**
 * An inline strategic-merge patch of a Deployment's containers, as kustomize applies it to the
 * two lists a service's settings come from: `env` entries by name, `envFrom` appended.
 */
function applyContainerPatch(
  deployments: Deployment[],
  patchText: string,
  file: string,
) {
  const parsed = parseYamlSafe(patchText, {
    label: `${file}: a patch`,
    errorType: DevStackError,
  }) as { kind?: unknown } | null;
  // Patches of other kinds (a Service, an HPA) change nothing a process runs with.
  if (parsed?.kind !== 'Deployment') return;
  const patch = parse(deploymentPatchSchema, parsed, `${file}: a patch`);
  const target = deployments.find(d => d.metadata.name === patch.metadata.name);
  if (!target)
    throw new DevStackError(
      `${file}: a patch targets Deployment ${patch.metadata.name}, which its resources do not hold`,
    );
  const containers = patch.spec?.template?.spec?.containers ?? [];
  for (const change of containers) {
    const container = target.spec.template.spec.containers.find(
      c => c.name === change.name,
    );
    if (!container)
      throw new DevStackError(
        `${file}: the patch of ${target.metadata.name} names container ${change.name}, which it has not`,
      );
    mergeContainer(container, change);
  }
}

function mergeContainer(container: Container, change: Container) {
  const replaced = new Set((change.env ?? []).map(e => e.name));
  container.env = [
    ...(container.env ?? []).filter(e => !replaced.has(e.name)),
    ...(change.env ?? []),
  ];
  container.envFrom = [...(container.envFrom ?? []), ...(change.envFrom ?? [])];
  if (change.command) container.command = change.command;
}

/** The exec form of the Dockerfile's last CMD, which a container without a command runs. */
function dockerfileCmd(dir: string): string[] | undefined {
  const file = path.join(dir, 'Dockerfile');
  if (!existsSync(file)) return undefined;
  const cmd = readText(file)
    .split('\n')
    .filter(line => /^CMD\s+\[/.test(line))
    .pop();
  if (!cmd) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cmd.replace(/^CMD\s+/, ''));
  } catch {
    throw new DevStackError(`${file}: its CMD is not a JSON array: ${cmd}`);
  }
  if (Array.isArray(parsed) && parsed.every(p => typeof p === 'string'))
    return parsed;
  throw new DevStackError(
    `${file}: its CMD is not an array of strings: ${cmd}`,
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DevStackError(
      `${file}: cannot be read (${
        (error as NodeJS.ErrnoException).code ?? error
      })`,
      { cause: error },
    );
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new DevStackError(
    `${label}: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
  );
}
