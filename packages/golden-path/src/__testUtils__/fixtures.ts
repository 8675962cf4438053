import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { byCodeUnit } from '../order';

/** A small template tree for tests: file path → content (string) under a temp templates root. */
export interface FixtureSpec {
  name?: string;
  version?: string;
  fragments?: Record<string, Record<string, string>>;
  skeleton?: Record<string, string>;
  /** Extra YAML appended under `spec:` (`parameters: ...`); defaults to a `name` + `owner` page. */
  parametersYaml?: string;
}

export const DEFAULT_PARAMETERS = `
  parameters:
    - title: Service
      required: [name, owner]
      properties:
        name:
          type: string
          pattern: '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'
          ui:autofocus: true
        owner:
          type: string
        lifecycle:
          type: string
          enum: [experimental, production]
          default: experimental
    - title: Secrets
      properties:
        token:
          type: string
          ui:field: Secret
`;

/** Creates `<tmp>/templates/<name>/…` and returns the templates root and template dir. */
export function makeFixture(spec: FixtureSpec = {}) {
  const base = tempDirSync('paver-gp-');
  const root = path.join(base, 'templates');
  const name = spec.name ?? 'demo-service';
  const dir = path.join(root, name);
  const fragments = Object.keys(spec.fragments ?? {});
  writeFiles(path.join(dir), {
    'template.yaml': templateYaml(
      name,
      spec.version ?? '1.2.0',
      fragments,
      spec.parametersYaml,
    ),
  });
  writeFiles(path.join(dir, 'skeleton'), spec.skeleton ?? {});
  for (const [fragment, files] of Object.entries(spec.fragments ?? {})) {
    writeFiles(path.join(root, '_fragments', fragment), files);
  }
  return { base, root, dir };
}

export function writeFiles(dir: string, files: Record<string, string>) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

function templateYaml(
  name: string,
  version: string,
  fragments: string[],
  params?: string,
) {
  return `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${name}
  title: Demo service
  description: A service for tests
  annotations:
    paver.dev/template-version: ${version}
    paver.dev/fragments: ${JSON.stringify(fragments.join(', '))}
spec:
  type: service
${params ?? DEFAULT_PARAMETERS}
  steps: []
`;
}

/** Every file below `dir` (relative POSIX path → bytes), for comparing trees. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const e of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.set(r, fs.readFileSync(path.join(d, e.name)));
    }
  };
  walk(dir, '');
  return new Map([...out].sort(([a], [b]) => byCodeUnit(a, b)));
}

/**
 * Every path below `base` except the templates themselves: after a refused render this must
 * be exactly what was there before (nothing written outside, or inside, the target).
 */
export function writtenEntries(base: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (r === 'templates') continue;
      out.push(r);
      if (e.isDirectory()) walk(path.join(d, e.name), r);
    }
  };
  walk(base, '');
  return out.sort();
}

/** A snapshot of Object.prototype, to prove a render did not pollute it. */
export function objectPrototypeSnapshot() {
  return Object.getOwnPropertyNames(Object.prototype)
    .sort()
    .map(name => [
      name,
      Object.getOwnPropertyDescriptor(Object.prototype, name)?.value,
    ]);
}
