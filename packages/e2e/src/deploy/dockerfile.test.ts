import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { tempDir } from '@paver/test-utils';
import { REPO_ROOT } from '../backend/backendProcess';
import {
  DockerIgnore,
  buildContextFiles,
  contextMatches,
  copyBuildContext,
  execForm,
  globToRegExp,
  parseCopy,
  parseDockerfile,
  type Instruction,
  type Stage,
} from './dockerfile';

// No container engine here, so packages/backend/Dockerfile is read as a reviewer reads it: its
// stages, what each COPY takes from the build context, the order of the installs, the user and the
// command of the image. The build stage's bundle build needs no engine and runs for real, below.

const run = promisify(execFile);
const DOCKERFILE = join(REPO_ROOT, 'packages/backend/Dockerfile');
const stages = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const finalStage = stages[stages.length - 1];
const productionConfig = parse(
  readFileSync(join(REPO_ROOT, 'app-config.production.yaml'), 'utf8'),
);
const rootPackage = JSON.parse(
  readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'),
);
const ignore = DockerIgnore.fromRepository();
const context = buildContextFiles(ignore);

function stage(name: string): Stage {
  const found = stages.find(s => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage named ${name}`);
  return found;
}

function indexOf(s: Stage, predicate: (i: Instruction) => boolean): number {
  return s.instructions.findIndex(predicate);
}

const isRun = (pattern: RegExp) => (i: Instruction) =>
  i.keyword === 'RUN' && pattern.test(i.args);
const YARN_INSTALL = /\byarn (install|workspaces focus)\b/;

/** Whether a COPY source (in the context or a stage's /app) brings .yarn/patches along. */
function bringsPatches(source: string, fromStage: boolean): boolean {
  const path = fromStage ? source.replace(/^\/app\/?/, '') : source;
  const normalized =
    path === '.' ? '' : path.replace(/^\.\//, '').replace(/\/$/, '');
  return ['', '.yarn', '.yarn/patches'].includes(normalized);
}

/** Whether .yarn/patches is in the stage's filesystem before its instruction at `before`. */
function hasPatches(s: Stage, before = s.instructions.length): boolean {
  return s.instructions.slice(0, before).some(i => {
    if (i.keyword !== 'COPY') return false;
    const copy = parseCopy(i);
    if (copy.from) {
      const from = stage(copy.from);
      return (
        copy.sources.some(src => bringsPatches(src, true)) && hasPatches(from)
      );
    }
    return copy.sources.some(
      src =>
        bringsPatches(src, false) &&
        contextMatches(src, context).some(f => f.startsWith('.yarn/patches/')),
    );
  });
}

describe('packages/backend/Dockerfile', () => {
  it('is a multi-stage build on Node 22 whose image is node:22-bookworm-slim', () => {
    expect(stages.map(s => s.name)).toEqual(['packages', 'build', '2']);
    expect(finalStage.image).toBe('node:22-bookworm-slim');
    // Every stage on the same Node, so native modules built in one run in the next.
    expect(new Set(stages.map(s => s.image))).toEqual(
      new Set(['node:22-bookworm-slim']),
    );
    expect(rootPackage.engines.node).toContain('22');
  });

  it('runs the image as a user that is not root', () => {
    const users = finalStage.instructions.filter(i => i.keyword === 'USER');
    const cmd = indexOf(finalStage, i => i.keyword === 'CMD');
    const lastUser = users.at(-1);
    expect(lastUser?.args).toBe('node');
    expect(['root', '0']).not.toContain(lastUser?.args.split(':')[0]);
    expect(finalStage.instructions.indexOf(lastUser!)).toBeLessThan(cmd);
  });

  it('starts the backend with app-config.production.yaml alone', () => {
    const cmds = finalStage.instructions.filter(i => i.keyword === 'CMD');
    expect(cmds).toHaveLength(1);
    expect(execForm(cmds[0])).toEqual([
      'node',
      'packages/backend',
      '--config',
      'app-config.production.yaml',
    ]);
    expect(finalStage.instructions.some(i => i.keyword === 'ENTRYPOINT')).toBe(
      false,
    );
  });

  it('copies from the build context only paths the repository has and .dockerignore lets through', () => {
    const problems: string[] = [];
    for (const s of stages) {
      for (const i of s.instructions.filter(x => x.keyword === 'COPY')) {
        const copy = parseCopy(i);
        if (copy.from) continue;
        for (const source of copy.sources) {
          if (!sourceExists(source)) {
            problems.push(`line ${i.line}: ${source} is not in the repository`);
          } else if (contextMatches(source, context).length === 0) {
            problems.push(
              `line ${i.line}: ${source} is excluded by .dockerignore`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('copies from stages that exist and come earlier', () => {
    stages.forEach((s, index) => {
      for (const i of s.instructions.filter(x => x.keyword === 'COPY')) {
        const from = parseCopy(i).from;
        if (!from) continue;
        const source = stages.findIndex(x => x.name === from);
        expect(source, `line ${i.line}: --from=${from}`).toBeGreaterThanOrEqual(
          0,
        );
        expect(source, `line ${i.line}: --from=${from}`).toBeLessThan(index);
      }
    });
  });

  it('has the Yarn patch in place before every yarn install, the production one included', () => {
    // The lockfile resolves the patched package through the file `resolutions` names.
    const patched = Object.values<string>(rootPackage.resolutions).filter(v =>
      v.startsWith('patch:'),
    );
    expect(patched.length).toBeGreaterThan(0);
    for (const resolution of patched) {
      const file = /#~\/(.+)$/.exec(resolution)![1];
      expect(existsSync(join(REPO_ROOT, file)), file).toBe(true);
      expect(context, file).toContain(file);
    }
    const installs = stages.flatMap(s =>
      s.instructions
        .map((i, index) => ({ s, i, index }))
        .filter(({ i }) => isRun(YARN_INSTALL)(i)),
    );
    expect(installs.map(({ s }) => s.name)).toEqual(['build', '2']);
    for (const { s, i, index } of installs) {
      expect(hasPatches(s, index), `line ${i.line}: ${i.args}`).toBe(true);
    }
  });

  it('builds the bundle in the build stage: install --immutable, tsc, build:backend, after the sources', () => {
    const build = stage('build');
    const install = indexOf(build, isRun(/\byarn install --immutable\b/));
    const sources = indexOf(
      build,
      i =>
        i.keyword === 'COPY' &&
        !parseCopy(i).from &&
        parseCopy(i).sources.includes('.'),
    );
    const tsc = indexOf(build, isRun(/\byarn tsc\b/));
    const bundle = indexOf(build, isRun(/\byarn build:backend\b/));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(sources).toBeGreaterThan(install);
    expect(tsc).toBeGreaterThan(sources);
    expect(bundle).toBeGreaterThan(tsc);
    // The install layer depends on package.json files only, so a source edit keeps its cache.
    expect(
      build.instructions
        .slice(0, install)
        .filter(i => i.keyword === 'COPY')
        .every(i => parseCopy(i).from === 'packages'),
    ).toBe(true);
  });

  it('installs production dependencies from the skeleton in the final stage, then adds the bundle', () => {
    const fromBuild = (path: string) => (i: Instruction) =>
      i.keyword === 'COPY' &&
      parseCopy(i).from === 'build' &&
      parseCopy(i).sources.some(s => s.includes(path));
    const skeleton = indexOf(finalStage, fromBuild('dist/skeleton'));
    const install = indexOf(
      finalStage,
      isRun(/\byarn workspaces focus --all --production\b/),
    );
    const bundle = indexOf(finalStage, fromBuild('dist/bundle'));
    expect(skeleton).toBeGreaterThanOrEqual(0);
    expect(install).toBeGreaterThan(skeleton);
    expect(bundle).toBeGreaterThan(install);
    expect(
      finalStage.instructions.some(i => isRun(/apt-get install/)(i)),
      'the final stage installs no toolchain',
    ).toBe(false);
  });

  it('copies what the production config reads from the working directory', () => {
    // catalog.locations of type file, and paver.templates.dir, are relative to the working dir.
    const read = [
      'app-config.production.yaml',
      productionConfig.paver.templates.dir,
      ...productionConfig.catalog.locations
        .filter((l: { type: string }) => l.type === 'file')
        .map((l: { target: string }) => l.target),
    ].map(path => path.replace(/^\.\//, ''));
    const copied = finalStage.instructions
      .filter(i => i.keyword === 'COPY' && !parseCopy(i).from)
      .flatMap(i => parseCopy(i).sources);
    const missing = read.filter(
      path =>
        !copied.some(source =>
          [path, path.split('/')[0]].some(p => globToRegExp(source).test(p)),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('exposes the port the production config listens on', () => {
    const expose = finalStage.instructions.find(i => i.keyword === 'EXPOSE');
    expect(Number(expose?.args)).toBe(productionConfig.backend.listen.port);
  });

  it('parses the forms it relies on', () => {
    const [s] = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'FROM node:22 AS one',
        'RUN a && \\',
        '    # a comment inside',
        '    b',
        'COPY --chown=node:node ["a b", "c"]',
        'CMD ["node", "x"]',
      ].join('\n'),
    );
    expect(s.name).toBe('one');
    expect(s.instructions.map(i => [i.keyword, i.args, i.line])).toEqual([
      ['RUN', 'a && b', 3],
      ['COPY', '--chown=node:node ["a b", "c"]', 6],
      ['CMD', '["node", "x"]', 7],
    ]);
    expect(parseCopy(s.instructions[1]).sources).toEqual(['a b']);
    expect(execForm(s.instructions[2])).toEqual(['node', 'x']);
    const rules = new DockerIgnore(
      '**/node_modules\nbench/.stock\n*.local.yaml\n!keep.local.yaml\n',
    );
    expect(rules.ignores('packages/app/node_modules/x/index.js')).toBe(true);
    expect(rules.ignores('node_modules')).toBe(true);
    expect(rules.ignores('bench/.stock/a')).toBe(true);
    expect(rules.ignores('bench/stats.ts')).toBe(false);
    expect(rules.ignores('x.local.yaml')).toBe(true);
    expect(rules.ignores('keep.local.yaml')).toBe(false);
  });
});

/** A COPY source exists in the repository: a path, or a glob matching a file of its folder. */
function sourceExists(source: string): boolean {
  if (!/[*?[]/.test(source)) return existsSync(join(REPO_ROOT, source));
  const dir = join(REPO_ROOT, dirname(source));
  const pattern = globToRegExp(basename(source));
  return existsSync(dir) && readdirSync(dir).some(name => pattern.test(name));
}

/** Workspace packages by name, from the root package.json's `workspaces` globs. */
function workspacePackages(): Map<string, { dir: string; pkg: any }> {
  const packages = new Map<string, { dir: string; pkg: any }>();
  for (const glob of rootPackage.workspaces as string[]) {
    const dirs = glob.endsWith('/*')
      ? readdirSync(join(REPO_ROOT, glob.slice(0, -2)), { withFileTypes: true })
          .filter(e => e.isDirectory())
          .map(e => `${glob.slice(0, -2)}/${e.name}`)
      : [glob];
    for (const dir of dirs) {
      const file = join(REPO_ROOT, dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      packages.set(pkg.name, { dir, pkg });
    }
  }
  return packages;
}

/**
 * The local packages `yarn build:backend` puts in the bundle: the backend's dependencies and
 * optional dependencies that are workspaces, transitively, except below a bundled package (the
 * app), as Backstage's createDistWorkspace collects them.
 */
function bundledLocalPackages(): { name: string; dir: string; pkg: any }[] {
  const packages = workspacePackages();
  const found = new Map<string, { name: string; dir: string; pkg: any }>();
  const visit = (name: string) => {
    const entry = packages.get(name);
    if (!entry || found.has(name)) return;
    found.set(name, { name, ...entry });
    if (entry.pkg.bundled) return;
    for (const dep of Object.keys({
      ...entry.pkg.dependencies,
      ...entry.pkg.optionalDependencies,
    })) {
      visit(dep);
    }
  };
  visit('backend');
  return [...found.values()];
}

describe("the build stage's bundle build, without a container engine", () => {
  it('finds a Backstage build and a built entry point in every local package the bundle takes', () => {
    const problems = bundledLocalPackages().flatMap(({ name, dir, pkg }) => {
      const found: string[] = [];
      if (
        !String(pkg.scripts?.build ?? '').startsWith(
          'backstage-cli package build',
        )
      ) {
        found.push(
          `${name} (${dir}): no "build": "backstage-cli package build" script; yarn build:backend runs \`yarn run build\` in it`,
        );
      }
      const main: string | undefined = pkg.publishConfig?.main ?? pkg.main;
      if (!pkg.bundled && main && /\.tsx?$/.test(main)) {
        found.push(
          `${name} (${dir}): the bundle's package.json would keep "main": "${main}", TypeScript that plain node cannot run; set publishConfig.main to dist/index.cjs.js`,
        );
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('builds dist/bundle.tar.gz and dist/skeleton.tar.gz from the build context with yarn build:backend', async () => {
    // In a copy of the build context, as the build stage's `COPY . .` makes it, with this
    // checkout's installed node_modules for its `yarn install --immutable`: the build replaces
    // packages/app/dist, which the browser suites serve, so it never runs in the checkout itself.
    const copy = await tempDir('deploy-context-');
    copyBuildContext(copy, context);
    for (const dir of [
      '',
      ...[...workspacePackages().values()].map(p => p.dir),
    ]) {
      const modules = join(REPO_ROOT, dir, 'node_modules');
      if (existsSync(modules))
        symlinkSync(modules, join(copy, dir, 'node_modules'));
    }
    const yarn = readdirSync(join(REPO_ROOT, '.yarn/releases')).find(f =>
      f.endsWith('.cjs'),
    )!;
    const started = Date.now();
    const result = await run(
      process.execPath,
      [join(copy, '.yarn/releases', yarn), 'build:backend'],
      {
        cwd: copy,
        // The runner's NODE_ENV=test picks no browserslist environment for the app's build.
        env: { ...process.env, NODE_ENV: 'production' },
        maxBuffer: 256 * 1024 * 1024,
      },
    ).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout ?? ''}\n${error.stderr ?? ''}`,
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`yarn build:backend took ${seconds.toFixed(1)} s`);
    const tail = result.output
      .split('\n')
      .filter(line => line && !line.startsWith('app: '))
      .slice(-15)
      .join('\n');
    expect(result.code, tail).toBe(0);

    const dist = join(copy, 'packages/backend/dist');
    expect(existsSync(join(dist, 'bundle.tar.gz'))).toBe(true);
    expect(existsSync(join(dist, 'skeleton.tar.gz'))).toBe(true);
    const skeleton = await tarList(join(dist, 'skeleton.tar.gz'));
    expect(skeleton).toContain('packages/backend/package.json');
    expect(skeleton.every(f => f.endsWith('package.json'))).toBe(true);

    // What the final stage runs: each bundled package's entry point exists and is JavaScript.
    const bundle = join(copy, 'bundle');
    await run('mkdir', ['-p', bundle]);
    await run('tar', ['xzf', join(dist, 'bundle.tar.gz'), '-C', bundle]);
    expect(existsSync(join(bundle, 'packages/app/dist/index.html'))).toBe(true);
    const entries = skeleton.map(file => {
      const pkg = JSON.parse(readFileSync(join(bundle, file), 'utf8'));
      const main: string | undefined = pkg.main;
      return {
        name: pkg.name as string,
        ok:
          !main ||
          (!/\.tsx?$/.test(main) &&
            existsSync(join(bundle, dirname(file), main))),
      };
    });
    expect(entries.filter(e => !e.ok).map(e => e.name)).toEqual([]);
  }, 300_000);
});

async function tarList(file: string): Promise<string[]> {
  const { stdout } = await run('tar', ['tzf', file]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(line => line.replace(/^\.\//, ''));
}
