import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPaverRegistry, startPostgres, type PaverRegistry, type ThrowawayPostgres } from '@paver/test-utils';
import { renderFixture, templatesWithFixtures } from './e2e/golden-paths';
import { npmEnv } from './e2e/npm-env';
import { StepFailedError } from './e2e/run-step';
import { verifyGeneratedService } from './e2e/verify-service';

// Every golden path with fixture answers, rendered by the engine and treated as a team would treat
// its new repository: npm install, npm run build, npm test (its own suite, on a real PostgreSQL).
// Sequential on purpose: each install and suite already uses the machine's cores.
const templatesRoot = __dirname;
const templates = templatesWithFixtures(templatesRoot);
const STEP_TIMEOUT_MS = 8 * 60_000;
const TEMPLATE_TIMEOUT_MS = 10 * 60_000;

describe('golden paths, end to end', () => {
  let postgres: ThrowawayPostgres;
  let registry: PaverRegistry;
  let workRoot: string;
  const timings: string[] = [];

  beforeAll(async () => {
    workRoot = await mkdtemp(path.join(tmpdir(), 'paver-e2e-'));
    postgres = await startPostgres();
    // Serves the freshly built @paver/cdktf that each generated infra/ app depends on.
    registry = await startPaverRegistry();
  }, 5 * 60_000);

  afterAll(async () => {
    await registry?.stop();
    await postgres?.stop();
    if (workRoot) await rm(workRoot, { recursive: true, force: true });
    if (timings.length > 0) console.log(`golden-path e2e timings:\n  ${timings.join('\n  ')}`);
  });

  it('finds the golden paths that have fixture answers', () => {
    expect(templates.map(t => t.name)).toContain('auth-service');
  });

  for (const template of templates) {
    it(
      `${template.name}: renders, installs, builds and passes its own tests`,
      async () => {
        const dir = path.join(workRoot, template.name);
        const started = Date.now();
        const files = await renderFixture(template, dir);
        expect(files).toEqual(expect.arrayContaining(['package.json', 'src/service.ts', 'openapi.yaml', '.paver/answers.yaml']));
        const env = npmEnv({ databaseUrl: postgres.connectionString, paverRegistryUrl: registry.url });
        try {
          const steps = await verifyGeneratedService(dir, { env, stepTimeoutMs: STEP_TIMEOUT_MS });
          const summary = steps.map(s => `${s.step.replace(/^npm /, '')} ${s.seconds.toFixed(1)}s`).join(', ');
          timings.push(`${template.name}: ${summary}; total ${((Date.now() - started) / 1000).toFixed(1)}s`);
          expect(steps.at(-1)?.output).toMatch(/Tests\s+.*\d+ passed/);
        } catch (error) {
          if (error instanceof StepFailedError) {
            throw new Error(`${template.name} (rendered in ${dir}): ${error.message}`);
          }
          throw error;
        }
      },
      TEMPLATE_TIMEOUT_MS,
    );
  }
});
