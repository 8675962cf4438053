import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { REPO_ROOT } from '../backend/backendProcess';
import { templatesWithFixtures } from './golden-paths';
import { runPaverPackages } from './runPaverPackages';

// The lockfile each generated service commits (service-base's package-lock.json.hbs, written by
// `yarn templates:lock`) must agree with the package.json it is rendered beside and with the
// @paver tarballs the portal serves (the working copy's, and every released one); otherwise a new
// repository's `npm ci` fails on its first push. This says which, and what to run, in a few
// seconds. A golden path may stay on an older release of a package until it moves on.
const REFRESH = 'run `yarn templates:lock` and commit the result';

interface Lockfile {
  name: string;
  packages: Record<
    string,
    {
      name?: string;
      version?: string;
      integrity?: string;
      resolved?: string;
      link?: boolean;
      inBundle?: boolean;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    }
  >;
}

const sha512 = (bytes: Buffer) =>
  `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/**
 * What the e2e tests serve, as `yarn packages:pack` lays it out: `@paver/x@version` → the
 * integrity of its tarball, for the working copy's packages and the released ones beside them.
 */
const served = new Map<string, string>();

beforeAll(async () => {
  const { dir } = await runPaverPackages();
  for (const tarball of await readdir(dir)) {
    const match = /^@paver-(.+)-(\d+\.\d+\.\d+[^.]*)\.tgz$/.exec(tarball);
    if (!match) continue;
    const bytes = await readFile(path.join(dir, tarball));
    served.set(`@paver/${match[1]}@${match[2]}`, sha512(bytes));
  }
}, 8 * 60_000);

describe.each(templatesWithFixtures(path.join(REPO_ROOT, 'templates')))(
  'the lockfile $name commits',
  template => {
    const answers = parseAnswersYaml(
      readFileSync(template.answersFile, 'utf8'),
    );
    const files = renderToMemory(loadTemplate(template.dir), answers, {
      platform: TEST_PLATFORM,
    });
    const json = (file: string) =>
      JSON.parse(files.get(file)?.toString('utf8') ?? 'null');
    const lock = json('package-lock.json') as Lockfile;
    const pkg = json('package.json');

    it("is rendered with the service's name and the manifest's dependencies", () => {
      expect(lock, 'no package-lock.json is rendered').not.toBeNull();
      expect(lock.name).toBe(answers.name);
      const root = lock.packages[''];
      expect(root.name).toBe(answers.name);
      expect(
        { dependencies: root.dependencies, dev: root.devDependencies },
        REFRESH,
      ).toEqual({ dependencies: pkg.dependencies, dev: pkg.devDependencies });
    });

    it('pins only @paver tarballs the portal serves, byte for byte', () => {
      const names = Object.keys(lock.packages)
        .filter(key => key.startsWith('node_modules/@paver/'))
        .map(key => key.slice('node_modules/'.length));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const locked = lock.packages[`node_modules/${name}`];
        expect(locked?.integrity, name).toMatch(/^sha512-/);
        expect(
          locked?.integrity,
          `${name}@${locked?.version} is pinned, but the portal serves no such tarball or other bytes: bump the package's version if it is released, and ${REFRESH}`,
        ).toBe(served.get(`${name}@${locked?.version}`));
      }
    });

    it('keeps every @paver tarball it pins in packages/released, byte for byte', async () => {
      const pinned = Object.entries(lock.packages).filter(([key]) =>
        key.startsWith('node_modules/@paver/'),
      );
      for (const [key, entry] of pinned) {
        const file = `${key.slice('node_modules/'.length).replace('/', '-')}-${
          entry.version
        }.tgz`;
        const bytes = await readFile(
          path.join(REPO_ROOT, 'packages/released', file),
        ).catch(() => undefined);
        expect(
          bytes && sha512(bytes),
          `packages/released/${file} is missing or differs: ${REFRESH}`,
        ).toBe(entry.integrity);
      }
    });

    it('pins every package by integrity and names no download URL', () => {
      const entries = Object.entries(lock.packages).filter(([key]) => key);
      expect(entries.length).toBeGreaterThan(50);
      // Bundled dependencies arrive inside their parent's (pinned) tarball.
      const unpinned = entries.filter(
        ([, e]) => !e.link && !e.inBundle && !e.integrity,
      );
      const withUrl = entries.filter(([, e]) => e.resolved);
      expect(unpinned.map(([key]) => key)).toEqual([]);
      expect(withUrl.map(([key]) => key)).toEqual([]);
    });
  },
);
