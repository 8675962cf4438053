import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  DEAD_LETTER_REASON,
  DEAD_LETTER_STREAM,
  deadLetterSubject,
  durableName,
} from '@paver/events';
import {
  publishEvent,
  startNats,
  type ThrowawayNats,
} from '@paver/events/testing';
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
import { stringify as stringifyYaml } from 'yaml';
import { templatesWithFixtures } from './golden-paths';
import { newUserEnv } from './newUserEnv';
import { startPaverDev } from './paverDev';
import { runPaverPackages } from './runPaverPackages';
import { startService, type RunningService } from './runningService';
import { startOtlpReceiver, type OtlpReceiver } from './otlpReceiver';
import { startSmtpSink, type SmtpSink } from '@paver/cli/src/dev/smtpSink';
import { planRepository, runLocalPlan } from './workflows/localRun';

// A new user's first hour with each golden path: the portal on embedded defaults creates the
// service, the repository is cloned from its remote into an empty folder, its pull-request CI runs
// step by step as generated (workflows/localRun.ts), and the build starts, all with nothing of
// Paver's in the environment. The registry its .npmrc names is
// the portal's own. One portal for every golden path; the golden paths one after another, since
// each install and suite already uses both cores. The services stay up, on one PostgreSQL and one
// NATS as a cluster would run them, and the last case has them work together through their events.
const templates = templatesWithFixtures(path.join(REPO_ROOT, 'templates'));
const STEP_TIMEOUT_MS = 8 * 60_000;

// The auth service, created first, keeps running: the others accept only tokens it signed. Its
// tokens carry the scopes the probes and the billing calls below need, as an organisation grants
// them with ACCESS_TOKEN_SCOPES.
const AUTH_TEMPLATE = 'auth-service';
const AUTH_SETTINGS = {
  ACCESS_TOKEN_SCOPES:
    'billing:read billing:write billing:admin notifications:read',
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
  let nats: ThrowawayNats;
  let smtp: SmtpSink;
  let otlp: OtlpReceiver;
  /** Each golden path's service once its case passed, by template name. */
  const running = new Map<
    string,
    {
      service: RunningService;
      name: string;
      clone: string;
      settings: Record<string, string>;
    }
  >();
  const workers: RunningService[] = [];
  const timings: string[] = [];

  beforeAll(async () => {
    dataDir = await tempDir('paver-e2e-data-');
    const [{ dir: packagesDir, tarballs }, pg, port] = await Promise.all([
      runPaverPackages(),
      startPostgres(),
      freePort(),
    ]);
    [nats, smtp, otlp] = await Promise.all([
      startNats(),
      startSmtpSink(),
      startOtlpReceiver(),
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
    for (const service of [
      ...workers,
      ...[...running.values()].map(r => r.service),
    ])
      await service.stop();
    await backend?.stop();
    await Promise.all([
      postgres?.stop(),
      nats?.stop(),
      smtp?.close(),
      otlp?.close(),
    ]);
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

      const probe = GUARDED_PROBES[template.name];
      const settings = {
        DATABASE_URL: postgres.connectionString,
        DATABASE_SCHEMA: name.replace(/-/g, '_'),
        NATS_URL: nats.url,
        ...traces(),
        ...ownSettings(template.name),
      };
      const service = await startService(clone, settings);
      try {
        const ready = await fetch(`${service.url}/readyz`);
        expect(ready.status, service.output()).toBe(200);
        if (probe) await expectGuarded(service, probe);
      } catch (error) {
        await service.stop();
        throw error;
      }
      running.set(template.name, { service, name, clone, settings });
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

  /** Where every service sends its traces: the receiver, every 200 ms rather than 5 s. */
  const traces = () => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });

  /** The service a case before this one left running. */
  function runningOf(templateName: string) {
    const found = running.get(templateName);
    if (!found)
      throw new Error(`the ${templateName} case left no service running`);
    return found;
  }

  /** What a guarded service's deployment sets from its `authService` answer, pointed here. */
  function trustAuth(): Record<string, string> {
    const auth = runningOf(AUTH_TEMPLATE);
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
    const accessToken = await signUpAndLogIn(
      runningOf(AUTH_TEMPLATE).service.url,
    );
    const withToken = await fetch(`${service.url}${probe}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(withToken.status, service.output()).toBe(200);
  }

  it(
    'the three work together: a sign-up, a subscription and an invoice become emails through their events',
    async () => {
      const auth = runningOf(AUTH_TEMPLATE).service;
      const billing = runningOf('billing-service').service;
      const notification = runningOf('notification-service');
      // The notification worker delivers what the API's consumers accepted, to the SMTP sink.
      workers.push(
        await startService(
          notification.clone,
          {
            DATABASE_URL: postgres.connectionString,
            DATABASE_SCHEMA: notification.name.replace(/-/g, '_'),
            EMAIL_PROVIDER: 'smtp',
            SMTP_URL: smtp.url,
            SMTP_FROM: 'Notifications <notifications@localhost>',
            ...traces(),
          },
          { entry: 'dist/worker.js' },
        ),
      );

      const email = `together-${randomUUID().slice(0, 8)}@example.org`;
      const accessToken = await signUpAndLogIn(auth.url, email);
      const welcome = await smtp.waitFor(
        m => m.to.includes(email) && m.subject === 'Welcome aboard',
      );
      expect(welcome.text).toContain(`your account for ${email} is ready`);

      const customerEmail = `customer-${randomUUID().slice(0, 8)}@example.org`;
      const invoice = await subscribeAndInvoice(
        billingCaller(billing, accessToken),
        customerEmail,
      );

      const forCustomer = (subject: string) =>
        smtp.waitFor(
          m => m.to.includes(customerEmail) && m.subject === subject,
        );
      await forCustomer('Your Pro subscription is active');
      const invoiceMail = await forCustomer(`Invoice ${invoice.number}`);
      expect(invoiceMail.text).toContain(
        `invoice ${invoice.number} for €49.00 has been issued`,
      );
      // Each event became one email: nothing was delivered twice.
      const toThem = smtp.received.filter(
        m => m.to.includes(email) || m.to.includes(customerEmail),
      );
      expect(toThem.map(m => m.subject).sort()).toEqual(
        [
          `Invoice ${invoice.number}`,
          'Welcome aboard',
          'Your Pro subscription is active',
        ].sort(),
      );
    },
    2 * 60_000,
  );

  it(
    'loses nothing while notification is down: its emails are sent once when it is back',
    async () => {
      const billing = runningOf('billing-service').service;
      const notification = runningOf('notification-service');
      await notification.service.stop();
      const accessToken = await signUpAndLogIn(
        runningOf(AUTH_TEMPLATE).service.url,
      );
      const customerEmail = `while-down-${randomUUID().slice(
        0,
        8,
      )}@example.org`;
      // Billing commits and publishes while nobody consumes: JetStream keeps the events.
      const invoice = await subscribeAndInvoice(
        billingCaller(billing, accessToken),
        customerEmail,
      );
      const restarted = await startService(
        notification.clone,
        notification.settings,
      );
      running.set('notification-service', {
        ...notification,
        service: restarted,
      });

      await smtp.waitFor(
        m =>
          m.to.includes(customerEmail) &&
          m.subject === `Invoice ${invoice.number}`,
      );
      // Long enough for a duplicate that was coming to have arrived.
      await new Promise(resolve => setTimeout(resolve, 2_000));
      expect(
        smtp.received
          .filter(m => m.to.includes(customerEmail))
          .map(m => m.subject)
          .sort(),
      ).toEqual([
        `Invoice ${invoice.number}`,
        'Your Pro subscription is active',
      ]);
    },
    2 * 60_000,
  );
  it(
    'dead-letters a poison event at once and goes on with the next',
    async () => {
      const billing = runningOf('billing-service');
      const notification = runningOf('notification-service');
      // An invoice.issued on billing's subject whose data is not the contract's payload.
      const poison = await publishEvent(nats.url, {
        source: billing.name,
        type: 'invoice.issued',
        version: 1,
        data: { invoiceId: 'no customer, no email' },
      });
      const accessToken = await signUpAndLogIn(
        runningOf(AUTH_TEMPLATE).service.url,
      );
      const customerEmail = `after-poison-${randomUUID().slice(
        0,
        8,
      )}@example.org`;
      const invoice = await subscribeAndInvoice(
        billingCaller(billing.service, accessToken),
        customerEmail,
      );
      await smtp.waitFor(
        m =>
          m.to.includes(customerEmail) &&
          m.subject === `Invoice ${invoice.number}`,
      );
      const durable = durableName(notification.name, 'invoice.issued', 1);
      const dead = await lastDeadLetter(
        deadLetterSubject(durable, `${billing.name}.invoice.issued.v1`),
      );
      expect(JSON.parse(dead.body).id).toBe(poison.id);
      expect(dead.reason).toMatch(/email|customerId/);
    },
    2 * 60_000,
  );

  it(
    'resumes after NATS restarts: what billing committed meanwhile is emailed once',
    async () => {
      const billing = runningOf('billing-service').service;
      const accessToken = await signUpAndLogIn(
        runningOf(AUTH_TEMPLATE).service.url,
      );
      await nats.stopServer();
      const customerEmail = `nats-down-${randomUUID().slice(0, 8)}@example.org`;
      let invoice: Record<string, string>;
      try {
        // The outbox holds the events while NATS is away; requests still succeed.
        invoice = await subscribeAndInvoice(
          billingCaller(billing, accessToken),
          customerEmail,
        );
      } finally {
        await nats.startServer();
      }
      await smtp.waitFor(
        m =>
          m.to.includes(customerEmail) &&
          m.subject === `Invoice ${invoice.number}`,
        60_000,
      );
      // Long enough for a duplicate that was coming to have arrived.
      await new Promise(resolve => setTimeout(resolve, 2_000));
      expect(
        smtp.received
          .filter(m => m.to.includes(customerEmail))
          .map(m => m.subject)
          .sort(),
      ).toEqual([
        `Invoice ${invoice.number}`,
        'Your Pro subscription is active',
      ]);
    },
    3 * 60_000,
  );

  it(
    'one trace connects billing, NATS, notification and its worker',
    async () => {
      const billing = runningOf('billing-service').service;
      const accessToken = await signUpAndLogIn(
        runningOf(AUTH_TEMPLATE).service.url,
      );
      // The caller's trace, as a gateway or a browser would start it.
      const traceId = randomBytes(16).toString('hex');
      const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
      const customerEmail = `traced-${randomUUID().slice(0, 8)}@example.org`;
      const invoice = await subscribeAndInvoice(
        billingCaller(billing, accessToken, { traceparent }),
        customerEmail,
      );
      await smtp.waitFor(
        m =>
          m.to.includes(customerEmail) &&
          m.subject === `Invoice ${invoice.number}`,
      );
      await expectOneTrace(traceId, runningOf('billing-service').name);
    },
    2 * 60_000,
  );

  it(
    'paver dev runs the three clones together on a stack of their own, traced to --otlp, restarts one, and Ctrl-C leaves nothing running',
    async () => {
      const stackDir = await tempDir('paver-e2e-dev-');
      const stackFile = path.join(stackDir, 'paver-dev.yaml');
      // As a developer writes it beside the clones: where each is, and the one setting to add.
      await writeFile(
        stackFile,
        stringifyYaml({
          services: templates.map(({ name }) => ({
            path: path.relative(stackDir, runningOf(name).clone),
            ...(name === AUTH_TEMPLATE ? { env: AUTH_SETTINGS } : {}),
          })),
        }),
      );
      // Traces to the suite's receiver, where a cluster's node collector would take them.
      const dev = await startPaverDev(stackFile, {
        args: ['--otlp', otlp.url],
      });
      let stopped = false;
      try {
        const names = templates.map(({ name }) => runningOf(name).name);
        expect(Object.keys(dev.state.services).sort()).toEqual(
          [...names].sort(),
        );
        const auth = dev.state.services[runningOf(AUTH_TEMPLATE).name];
        const email = `dev-${randomUUID().slice(0, 8)}@example.org`;
        const traceId = randomBytes(16).toString('hex');
        const signUp = await fetch(`${auth.url}/users`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
          },
          body: JSON.stringify({ email, password: 'a long enough passphrase' }),
        });
        expect(signUp.status).toBe(202);
        // The welcome email travelled auth → NATS → notification → worker → the stack's sink.
        const line = await dev.waitForLine(
          new RegExp(
            `^mail \\| to ${email.replace(/\./g, '\\.')}: Welcome aboard`,
          ),
        );
        const eml = /\((\S+\.eml)\)$/.exec(line)![1];
        expect(await readFile(eml, 'utf8')).toContain(
          'Subject: Welcome aboard',
        );
        // One trace across the dev stack's processes, exported to --otlp.
        await expectOneTrace(traceId, runningOf(AUTH_TEMPLATE).name);

        const billing = runningOf('billing-service').name;
        const before = dev.state.services[billing].processes[0].pid;
        dev.type(`rs ${billing}`);
        await dev.waitForLine(new RegExp(`${billing} restarted`));
        const after = JSON.parse(
          await readFile(path.join(dev.state.dir, 'stack.json'), 'utf8'),
        ).services[billing];
        expect(after.processes[0].pid).not.toBe(before);
        expect((await fetch(`${after.url}/readyz`)).status).toBe(200);

        expect(await dev.interrupt()).toBe(0);
        stopped = true;
        const pids = [
          ...Object.values(dev.state.services).flatMap(s =>
            s.processes.map(p => p.pid),
          ),
          after.processes[0].pid,
        ];
        expect(pids.filter(isAlive)).toEqual([]);
        expect(existsSync(dev.state.dir)).toBe(false);
        await expect(
          fetch(`${auth.url}/healthz`, { signal: AbortSignal.timeout(2_000) }),
        ).rejects.toThrow();
      } finally {
        if (!stopped) await dev.interrupt();
      }
    },
    5 * 60_000,
  );

  /**
   * Waits until the receiver holds spans of `traceId` from the producer, notification and
   * notification's worker, and from nobody else.
   */
  async function expectOneTrace(traceId: string, producer: string) {
    const notification = runningOf('notification-service').name;
    const expected = [producer, notification, `${notification}-worker`].sort();
    const servicesInTrace = () =>
      [
        ...new Set(
          otlp.spans.filter(s => s.traceId === traceId).map(s => s.service),
        ),
      ].sort();
    const deadline = Date.now() + 20_000;
    while (servicesInTrace().length < expected.length && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 200));
    expect(servicesInTrace()).toEqual(expected);
  }

  /** The last message dead-lettered on `subject`, with the reason the consumer gave. */
  async function lastDeadLetter(subject: string) {
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const message = await jsm.streams.getMessage(DEAD_LETTER_STREAM, {
        last_by_subj: subject,
      });
      if (!message) throw new Error(`nothing was dead-lettered on ${subject}`);
      return {
        body: message.string(),
        reason: message.header.get(DEAD_LETTER_REASON),
      };
    } finally {
      await nc.close();
    }
  }
});

type BillingCall = (
  route: string,
  body?: unknown,
) => Promise<Record<string, string>>;

/** POSTs to billing as a client does: a bearer token and a fresh Idempotency-Key each time. */
function billingCaller(
  billing: RunningService,
  accessToken: string,
  headers: Record<string, string> = {},
): BillingCall {
  return async (route, body) => {
    const res = await fetch(`${billing.url}${route}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        ...headers,
      },
      body: JSON.stringify(body ?? {}),
    });
    const answer = await res.json();
    expect(
      res.ok,
      `${route}: ${JSON.stringify(answer)}\n${billing.output()}`,
    ).toBe(true);
    return answer as Record<string, string>;
  };
}

/** A customer on a new 49 EUR plan since long ago, and its first period's invoice finalized. */
async function subscribeAndInvoice(post: BillingCall, customerEmail: string) {
  const plan = await post('/plans', {
    code: `pro-${randomUUID().slice(0, 8)}`,
    name: 'Pro',
    currency: 'EUR',
    amountMinor: 4900,
    interval: 'month',
    meters: [
      { meter: 'api_calls', unitAmountMinor: 2, includedQuantity: 1000 },
    ],
  });
  const customer = await post('/customers', {
    email: customerEmail,
    name: 'Ada Lovelace',
  });
  // Started long ago, so its first period is closed and can be invoiced.
  const subscription = await post('/subscriptions', {
    customerId: customer.id,
    planId: plan.id,
    startAt: '2024-01-01T00:00:00Z',
  });
  const draft = await post('/invoices', { subscriptionId: subscription.id });
  return post(`/invoices/${draft.id}/finalize`);
}

async function signUpAndLogIn(
  authUrl: string,
  email = `new-user-${randomUUID().slice(0, 8)}@example.org`,
): Promise<string> {
  const account = {
    email,
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

/** Whether a process with this id still runs. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `group:default/payments` as the by-name route's `group/default/payments`. */
function byNamePath(ref: string): string {
  const [kind, rest] = ref.split(':');
  return `${kind}/${rest}`;
}
