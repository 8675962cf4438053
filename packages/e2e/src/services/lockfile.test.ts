import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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
// @paver packages the portal serves today; otherwise a new repository's `npm ci` fails on its
// first push. This says which, and what to run, in a few seconds.
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

/** What `yarn packages:pack` makes today (the tarballs the e2e tests serve): version and integrity of each @paver package. */
const packed = new Map<string, { version?: string; integrity: string }>();

beforeAll(async () => {
  const { dir, tarballs } = await runPaverPackages();
  for (const tarball of tarballs) {
    const match = /^@paver-(.+)-(\d+\.\d+\.\d+[^.]*)\.tgz$/.exec(tarball);
    if (!match) continue;
    const bytes = await readFile(path.join(dir, tarball));
    packed.set(`@paver/${match[1]}`, {
      version: match[2],
      integrity: sha512(bytes),
    });
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

    it('pins exactly the @paver tarballs the portal serves today', () => {
      const names = Object.keys(lock.packages)
        .filter(key => key.startsWith('node_modules/@paver/'))
        .map(key => key.slice('node_modules/'.length));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const locked = lock.packages[`node_modules/${name}`];
        expect(
          { version: locked?.version, integrity: locked?.integrity },
          `${name} changed since the lockfile was written: bump its version if it is released, and ${REFRESH}`,
        ).toEqual(packed.get(name));
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
