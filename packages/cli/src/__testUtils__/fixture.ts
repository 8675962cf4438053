import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';

/** The bin, run with this process's Node (22, from ./paverw) exactly as a user runs it. */
export const PAVER_BIN = path.resolve(__dirname, '../../bin/paver');

/** Runs `paver ...args` in `cwd` as a child process, with stdin not a TTY. */
export function runPaver(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [PAVER_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A workspace like the repository: `<base>/package.json` named paver and `<base>/templates/`
 * with one small template exercising fragments, names, .hbs and byte-for-byte copies.
 */
export function makeWorkspace() {
  const base = tempDirSync('paver-cli-');
  const files: Record<string, string | Buffer> = {
    'package.json': '{"name": "paver", "private": true}\n',
    'templates/demo-service/template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: demo-service
  title: Demo service
  description: A small service for CLI tests
  annotations:
    paver.dev/template-version: 1.4.0
    paver.dev/fragments: base
spec:
  parameters:
    - title: Service
      required: [name, owner]
      properties:
        name: { type: string, pattern: '^[a-z][a-z0-9-]{1,38}[a-z0-9]$' }
        owner: { type: string }
        lifecycle: { type: string, enum: [experimental, production], default: experimental }
        replicas: { type: integer, default: 1 }
    - title: Secrets
      properties:
        token: { type: string, ui:field: Secret }
  steps: []
`,
    'templates/_fragments/base/README.md.hbs':
      '# {{values.name}}\n\nOwned by {{values.owner}}.\n',
    'templates/_fragments/base/.github/workflows/ci.yml':
      'on: push\njobs: { b: { steps: [{ run: "echo ${{ github.sha }}" }] } }\n',
    'templates/_fragments/base/Dockerfile': 'FROM node:22\n',
    'templates/demo-service/skeleton/src/{{camelCase values.name}}.ts.hbs':
      'export const service = {{{json values.name}}};\nexport const replicas = {{values.replicas}};\n',
    'templates/demo-service/skeleton/Dockerfile': 'FROM node:22-slim\n',
    'templates/demo-service/skeleton/assets/logo.bin': Buffer.from([
      0, 1, 2, 250, 255, 13, 10,
    ]),
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), content);
  }
  return { base, templatesRoot: path.join(base, 'templates') };
}

/** Every file below `dir` as [relative POSIX path, bytes], sorted. */
export function readTree(dir: string): [string, Buffer][] {
  return (
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]
  )
    .filter(e => e.isFile())
    .map(e =>
      path
        .relative(dir, path.join(e.parentPath, e.name))
        .split(path.sep)
        .join('/'),
    )
    .sort()
    .map(rel => [rel, fs.readFileSync(path.join(dir, rel))]);
}
