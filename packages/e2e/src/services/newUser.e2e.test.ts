import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAnswersYaml } from '@paver/golden-path';
import {
  freePort,
  startPostgres,
  tempDir,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import {
  IN_MEMORY_SQLITE,
  REPO_ROOT,
  localPublishingConfig,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from '../backend/backendProcess';
import {
  guestToken,
  logOf,
  runTask,
  waitForEntity,
} from '../scaffolder/scaffolderApi';
import { templatesWithFixtures } from './golden-paths';
import { newUserEnv } from './newUserEnv';
import { runPaverPackages } from './runPaverPackages';
import { startService, type RunningService } from './runningService';
import { planRepository, runLocalPlan } from './workflows/localRun';

// A new user's first hour with each golden path: the portal on embedded defaults creates the
// service, the repository is cloned from its remote into an empty folder, its pull-request CI runs
// step by step as generated (workflows/localRun.ts), and the build starts, all with nothing of
// Paver's in the environment. The registry its .npmrc names is
// the portal's own. One portal for every golden path; the golden paths one after another, since
// each install and suite already uses both cores.
const templates = templatesWithFixtures(path.join(REPO_ROOT, 'templates'));
const STEP_TIMEOUT_MS = 8 * 60_000;

// The auth service, created first, keeps running: the others accept only tokens it signed. Its
// tokens carry the scopes the probes below need, as an organisation grants them with
// ACCESS_TOKEN_SCOPES.
const AUTH_TEMPLATE = 'auth-service';
const AUTH_SETTINGS = {
  ACCESS_TOKEN_SCOPES: 'billing:read notifications:read',
};
/** A route of each guarded golden path that a reader's token may call. */
const GUARDED_PROBES: Record<string, string> = {
  'billing-service': '/plans',
  'notification-service': '/recipients/new-user/inbox',
};

describe('a new user creates each golden path from the portal and runs it from a plain clone', () => {
  let backend: BackendProcess;
  let dataDir: string;
  let token: string;
  let postgres: ThrowawayPostgres;
  let auth: { service: RunningService; name: string } | undefined;
  const timings: string[] = [];

  beforeAll(async () => {
    dataDir = await tempDir('paver-e2e-data-');
    const [{ dir: packagesDir, tarballs }, pg, port] = await Promise.all([
      runPaverPackages(),
      startPostgres(),
      freePort(),
    ]);
    if (!tarballs.some(t => t.startsWith('@paver-cdktf-')))
      throw new Error(`packages:pack made no @paver/cdktf: ${tarballs}`);
    postgres = pg;
    backend = await spawnBackend({
      port,
      configFiles: ['app-config.yaml'],
      override: [
        IN_MEMORY_SQLITE,
        localPublishingConfig({ dataDir, ports: [port], packagesDir }),
      ],
    });
    await waitForReady(backend);
    token = await guestToken(backend);
    for (const { name, answersFile } of templates) {
      await waitForEntity(backend, `template/default/${name}`);
      // As the form's pickers do, the render step checks the owner and System exist: a user
      // submits only once the picker lists them, so the test waits for them too.
      const answers = parseAnswersYaml(await readFile(answersFile, 'utf8'));
      for (const ref of [answers.owner, answers.system]) {
        if (typeof ref === 'string')
          await waitForEntity(backend, byNamePath(ref));
      }
    }
  }, 5 * 60_000);

  afterAll(async () => {
    await auth?.service.stop();
    await backend?.stop();
    await postgres?.stop();
    if (timings.length > 0)
      console.log(`new-user timings:\n  ${timings.join('\n  ')}`);
  });

  it('has golden paths with fixture answers to create', () => {
    expect(templates.map(t => t.name)).toEqual([
      'auth-service',
      'billing-service',
      'notification-service',
    ]);
  });

  it.each(templates)(
    '$name: created, cloned, its pull-request CI green as generated, started and ready',
    async template => {
      const answers = parseAnswersYaml(
        await readFile(template.answersFile, 'utf8'),
      );
      const name = String(answers.name);
      const { status, events } = await runTask(
        backend,
        token,
        `template:default/${template.name}`,
        answers,
      );
      expect(status, logOf(events)).toBe('completed');

      const clone = path.join(await tempDir('paver-e2e-clone-'), name);
      await git([
        'clone',
        '--quiet',
        path.join(dataDir, 'git', `${name}.git`),
        clone,
      ]);
      const npmrc = await readFile(path.join(clone, '.npmrc'), 'utf8');
      expect(npmrc).toContain(
        `@paver:registry=${backend.baseUrl}/api/scaffolder/paver/npm/\n`,
      );

      // The pull request's CI, as generated: every job that needs no cloud credentials, its
      // run: steps in order with the job's env and a local PostgreSQL for the service container.
      const started = Date.now();
      const plan = planRepository(clone, {
        event: { name: 'pull_request' },
        repository: `acme/${name}`,
        sha: await git(['-C', clone, 'rev-parse', 'HEAD']),
        services: { postgres: postgres.connectionString },
      });
      const outcomes = await runLocalPlan(plan, {
        repoDir: clone,
        baseEnv: newUserEnv(),
        timeoutMs: STEP_TIMEOUT_MS,
      }).catch(error => {
        throw new Error(
          `${template.name} (cloned into ${clone}): ${error.message}`,
        );
      });
      const ran = outcomes.filter(o => o.outcome === 'passed');
      expect(ran.map(o => o.step)).toEqual(
        expect.arrayContaining(['Install', 'Test', 'Build', 'Synthesize']),
      );
      // Only Terraform itself has no stand-in here: no step is left out for another reason.
      const notRun = outcomes.filter(o => o.outcome === 'not run');
      expect(notRun.length).toBeGreaterThan(0);
      for (const step of notRun)
        expect(step.reason, step.step).toMatch(/hashicorp\/setup-terraform/);
      // Installing, testing and building leave nothing for the new user to commit or ignore.
      expect(await git(['-C', clone, 'status', '--porcelain'])).toBe('');

      const isAuth = template.name === AUTH_TEMPLATE;
      const probe = GUARDED_PROBES[template.name];
      const service = await startService(clone, {
        DATABASE_URL: postgres.connectionString,
        DATABASE_SCHEMA: name.replace(/-/g, '_'),
        ...ownSettings(template.name),
      });
      try {
        const ready = await fetch(`${service.url}/readyz`);
        expect(ready.status, service.output()).toBe(200);
        if (probe) await expectGuarded(service, probe);
      } finally {
        if (isAuth) auth = { service, name };
        else await service.stop();
      }
      timings.push(
        `${template.name}: ${ran.length} CI steps in ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`,
      );
    },
    15 * 60_000,
  );

  /** The auth service's scopes; for a guarded one, the issuer it trusts; else nothing. */
  function ownSettings(templateName: string): Record<string, string> {
    if (templateName === AUTH_TEMPLATE) return AUTH_SETTINGS;
    return GUARDED_PROBES[templateName] ? trustAuth() : {};
  }

  /** What a guarded service's deployment sets from its `authService` answer, pointed here. */
  function trustAuth(): Record<string, string> {
    if (!auth)
      throw new Error(
        `the ${AUTH_TEMPLATE} case left no auth service running to trust`,
      );
    return {
      AUTH_JWKS_URL: `${auth.service.url}/.well-known/jwks.json`,
      AUTH_ISSUER: `urn:paver:${auth.name}`,
      AUTH_AUDIENCE: auth.name,
    };
  }

  /** 401 without a token; 200 with the access token a new account gets from the auth service. */
  async function expectGuarded(service: RunningService, probe: string) {
    const anonymous = await fetch(`${service.url}${probe}`);
    expect(anonymous.status, service.output()).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const accessToken = await signUpAndLogIn(auth!.service.url);
    const withToken = await fetch(`${service.url}${probe}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(withToken.status, service.output()).toBe(200);
  }
});

async function signUpAndLogIn(authUrl: string): Promise<string> {
  const account = {
    email: `new-user-${Date.now()}@example.org`,
    password: 'a long enough passphrase',
  };
  const post = (route: string) =>
    fetch(`${authUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
  expect((await post('/users')).status).toBe(202);
  const session = await post('/sessions');
  expect(session.status).toBe(200);
  return ((await session.json()) as { access_token: string }).access_token;
}

/** `group:default/payments` as the by-name route's `group/default/payments`. */
function byNamePath(ref: string): string {
  const [kind, rest] = ref.split(':');
  return `${kind}/${rest}`;
}
