import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { loadMigrations } from './migrations';

// A migration as a template author writes it: TypeScript, typed with the engine's own interface.
const MIGRATION = `import type { MigrationContext, TemplateMigration } from '@paver/golden-path';

const migration: TemplateMigration = {
  after(context: MigrationContext): void {
    console.log(\`moved \${context.repoDir} to \${context.to}\`);
  },
};
export default migration;
`;

function templateWithMigrations(versions: string[]) {
  const dir = tempDirSync('paver-migrations-');
  fs.mkdirSync(path.join(dir, 'migrations'));
  for (const version of versions) {
    fs.writeFileSync(path.join(dir, 'migrations', `${version}.ts`), MIGRATION);
  }
  return dir;
}

describe('loadMigrations', () => {
  it('loads the steps in (from, to], oldest first', async () => {
    const dir = templateWithMigrations(['1.1.0', '2.0.0', '1.10.0', '3.0.0']);
    const imported: string[] = [];
    const steps = await loadMigrations(dir, '1.0.0', '2.0.0', async file => {
      imported.push(path.basename(file));
      return { default: { after() {} } };
    });
    expect(steps.map(s => s.version)).toEqual(['1.1.0', '1.10.0', '2.0.0']);
    expect(imported).toEqual(['1.1.0.ts', '1.10.0.ts', '2.0.0.ts']);
  });

  it('refuses a step not named after a version', async () => {
    const dir = templateWithMigrations(['next']);
    await expect(
      loadMigrations(dir, '1.0.0', '2.0.0', async () => ({})),
    ).rejects.toThrow(
      /next\.ts: a migration is named after the version it leads to/,
    );
  });

  it('is a module plain Node loads, as a production backend runs it (no TypeScript loader)', () => {
    const dir = templateWithMigrations(['2.0.0']);
    const file = path.join(dir, 'migrations', '2.0.0.ts');
    // Node 22.18+ strips types itself; the `import type` line is erased, so no package is needed.
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(
          file,
        )}); m.default.after({ repoDir: 'svc', to: '2.0.0' });`,
      ],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(
      run.stderr.replace(
        /.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g,
        '',
      ),
    ).toBe('');
    expect(run.stdout).toBe('moved svc to 2.0.0\n');
  });
});
