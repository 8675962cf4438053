import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a 60-file template shaped like a service golden path (half rendered, half copied, some
 * rendered names), so the benchmark has a figure while the real templates are being written.
 */
export function writeSyntheticTemplate(base: string): string {
  const dir = path.join(base, 'templates', 'synthetic-service');
  const files: Record<string, string> = {
    'template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: synthetic-service
  annotations:
    paver.dev/template-version: 1.0.0
spec:
  parameters:
    - required: [name, owner]
      properties:
        name: { type: string, pattern: '^[a-z][a-z0-9-]{1,38}[a-z0-9]$' }
        owner: { type: string }
        datastore: { type: string, enum: [postgres, none], default: postgres }
`,
  };
  const body = (i: number) =>
    [
      `// Generated for {{values.name}} ({{template.name}}@{{template.version}}), file ${i}`,
      `export const service = {{{json values.name}}};`,
      `export const Service{{pascalCase values.name}} = '{{kebabCase values.name}}';`,
      `export const ENV_PREFIX = '{{upperSnakeCase values.name}}';`,
      `{{#if (eq values.datastore "postgres")}}export const usesPostgres = true;{{/if}}`,
      ...Array.from(
        { length: 40 },
        (_, j) => `export const value${j} = '{{camelCase values.name}}-${j}';`,
      ),
    ].join('\n');
  const plain = (i: number) =>
    [
      `# static file ${i}`,
      'run: echo ${{ github.sha }}',
      ...Array.from({ length: 60 }, (_, j) => `line ${j}`),
    ].join('\n');
  for (let i = 0; i < 30; i++)
    files[`skeleton/src/module${i}/{{kebabCase values.name}}-${i}.ts.hbs`] =
      body(i);
  for (let i = 0; i < 29; i++)
    files[`skeleton/static/file${i}.yaml`] = plain(i);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
