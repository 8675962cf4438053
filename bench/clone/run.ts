// A generated service from a plain clone: per golden path, the time the portal takes to create it
// (task submitted → completed, the Component already served), then, in a fresh clone each run,
// `npm ci` with the committed lockfile (warm npm cache), `npm run build` and `npm test`. Side by
// side in the same run: `npm install` in a clone with the lockfile removed, which is what every
// new repository did before the golden paths committed one.
//
//   ./paverw yarn tsx bench/clone/run.ts               3 runs per golden path
//   ./paverw yarn tsx bench/clone/run.ts --runs 5 --write    also rewrite the table in RESULTS.md
//   ./paverw yarn tsx bench/clone/run.ts --smoke       billing-service, one run, no npm test
//                                                      (run by ./paverw test)
//
// The portal runs on embedded defaults (SQLite in memory, local git remote, its own @paver
// registry); the commands run with only PATH, HOME and the machine's CA settings.
import fs from 'node:fs';
import path from 'node:path';
import { parseAnswersYaml } from '@paver/golden-path';
import {
  freePort,
  removeTempDirs,
  startPostgres,
  tempDir,
} from '@paver/test-utils';
import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import {
  IN_MEMORY_SQLITE,
  REPO_ROOT,
  localPublishingConfig,
  spawnBackend,
  waitForReady,
} from '../../packages/e2e/src/backend/backendProcess';
import {
  guestToken,
  runTask,
  waitForEntity,
} from '../../packages/e2e/src/scaffolder/scaffolderApi';
import { templatesWithFixtures } from '../../packages/e2e/src/services/golden-paths';
import { newUserEnv } from '../../packages/e2e/src/services/newUserEnv';
import { packPaverPackages } from '../../packages/e2e/src/services/paverPackages';
import { runStep } from '../../packages/e2e/src/services/run-step';
import { flag, numberArg } from '../args';
import { writeTable } from '../results';
import { median } from '../stats';

const smoke = flag('smoke');
const runs = smoke ? 1 : numberArg('runs', 3);
const STEP_MS = 10 * 60_000;

interface Row {
  template: string;
  create: number[];
  ci: number[];
  build: number[];
  test: number[];
  installNoLock: number[];
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

async function main() {
  const templates = templatesWithFixtures(
    path.join(REPO_ROOT, 'templates'),
  ).filter(t => !smoke || t.name === 'billing-service');
  const dataDir = await tempDir('paver-bench-clone-data-');
  const packagesDir = await tempDir('paver-bench-clone-packages-');
  await packPaverPackages(packagesDir);
  const postgres = await startPostgres();
  const port = await freePort();
  const backend = await spawnBackend({
    port,
    configFiles: ['app-config.yaml'],
    override: [
      IN_MEMORY_SQLITE,
      localPublishingConfig({ dataDir, ports: [port], packagesDir }),
    ],
  });
  const rows: Row[] = [];
  try {
    await waitForReady(backend);
    const token = await guestToken(backend);
    for (const template of templates) {
      await waitForEntity(backend, `template/default/${template.name}`);
      const answers = parseAnswersYaml(
        fs.readFileSync(template.answersFile, 'utf8'),
      );
      const row: Row = {
        template: template.name,
        create: [],
        ci: [],
        build: [],
        test: [],
        installNoLock: [],
      };
      // Created once with the fixture answers (the golden paths' own tests expect those names),
      // then cloned afresh for every run.
      const name = String(answers.name);
      row.create.push(
        await seconds(async () => {
          const { status } = await runTask(
            backend,
            token,
            `template:default/${template.name}`,
            answers,
          );
          if (status !== 'completed')
            throw new Error(`${template.name}: task ${status}`);
        }),
      );
      const bare = path.join(dataDir, 'git', `${name}.git`);
      const npm = (dir: string, ...args: string[]) =>
        seconds(() =>
          runStep('npm', args, {
            cwd: dir,
            env: newUserEnv({ DATABASE_URL: postgres.connectionString }),
            timeoutMs: STEP_MS,
          }),
        );
      const freshClone = async () => {
        const dir = path.join(await tempDir('paver-bench-clone-'), name);
        await git(['clone', '--quiet', bare, dir]);
        return dir;
      };
      for (let run = 0; run < runs; run++) {
        const clone = await freshClone();
        row.ci.push(await npm(clone, 'ci'));
        row.build.push(await npm(clone, 'run', 'build'));
        if (!smoke) row.test.push(await npm(clone, 'test'));
        const unlocked = await freshClone();
        fs.rmSync(path.join(unlocked, 'package-lock.json'));
        row.installNoLock.push(await npm(unlocked, 'install'));
        console.error(
          `[clone] ${template.name} run ${run + 1}/${runs}: npm ci ${row.ci
            .at(-1)!
            .toFixed(1)} s, npm install without lockfile ${row.installNoLock
            .at(-1)!
            .toFixed(1)} s`,
        );
      }
      rows.push(row);
    }
  } finally {
    await backend.stop();
    await postgres.stop();
    await removeTempDirs();
  }
  report(rows);
}

const cell = (values: number[]) =>
  values.length === 0
    ? '–'
    : `${median(values).toFixed(1)} s (${Math.min(...values).toFixed(
        1,
      )}–${Math.max(...values).toFixed(1)})`;

function report(rows: Row[]) {
  const table = [
    '| golden path | create → completed, entity served (once) | `npm ci` (lockfile) | `npm install` (no lockfile, before) | `npm run build` | `npm test` |',
    '| --- | --: | --: | --: | --: | --: |',
    ...rows.map(
      r =>
        `| ${r.template} | ${cell(r.create)} | ${cell(r.ci)} | ${cell(
          r.installNoLock,
        )} | ${cell(r.build)} | ${cell(r.test)} |`,
    ),
  ].join('\n');
  console.log(
    `${table}\n\nmedian (min–max) of ${runs} run(s) per golden path, warm npm cache`,
  );
  if (smoke)
    console.log(
      `smoke: ${rows.length} golden path(s) created, cloned, installed and built`,
    );
  if (flag('write')) writeTable(path.join(__dirname, 'RESULTS.md'), table);
}

main().catch(error => {
  console.error(`[clone] failed: ${error?.stack ?? error}`);
  process.exit(1);
});
