import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startNats } from '@paver/events/testing/nats';
import {
  freePort,
  startPostgres,
  type ThrowawayPostgres,
} from '@paver/service-runtime/testing/postgres';
import pg from 'pg';
import {
  generatedSecrets,
  localEnvironment,
  type StackEndpoints,
} from './localEnv';
import { startProcess, type DevProcess } from './processes';
import { startSmtpSink, type SinkMail } from './smtpSink';
import type { DevService, Workload } from './workloads';

/** A service of the stack file, read, with the stack file's `env:` for it. */
export interface StackService {
  readonly service: DevService;
  readonly env: Readonly<Record<string, string>>;
}

/** What `stack.json` in the stack's folder records, for scripts and for a second terminal. */
export interface StackState {
  readonly dir: string;
  readonly postgres: string;
  readonly nats: string;
  readonly smtp: string;
  readonly mailDir: string;
  readonly services: Record<
    string,
    { url: string; processes: { name: string; pid: number; port: number }[] }
  >;
}

/** The running stack: its infrastructure, then its services in start order. */
export interface DevStack {
  readonly state: StackState;
  /** Stops the service's processes and starts them again, on the same ports. */
  restart(service: string): Promise<void>;
  /** Stops every process (last started first), the mail sink, NATS and PostgreSQL; removes the folder. */
  stop(): Promise<void>;
}

interface Started {
  readonly workload: Workload;
  readonly port: number;
  process?: DevProcess;
}

interface RunningService {
  readonly entry: StackService;
  readonly started: Started[];
}

interface StackOptions {
  otlpUrl?: string;
  /** The developer's environment, of which services get PATH, HOME, locale and CA settings. */
  baseEnv: NodeJS.ProcessEnv;
  writeLine(line: string): void;
}

/** What is undone when the stack stops, last first; a failing step does not stop the others. */
class Teardown {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse())
      await step().catch(() => undefined);
  }
}

/** Starts PostgreSQL, NATS and a mail sink for the stack, then each service in `ordered`. */
export async function startDevStack(
  ordered: readonly StackService[],
  options: StackOptions,
): Promise<DevStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'paver-dev-'));
  const teardown = new Teardown();
  teardown.add(() => rm(dir, { recursive: true, force: true }));
  try {
    const mailDir = path.join(dir, 'mail');
    const servers = await startServers(mailDir, options.writeLine, teardown);
    const serviceUrls = new Map<string, string>();
    const endpoints: StackEndpoints = {
      databaseUrl: service => databaseUrl(servers.postgres, service),
      natsUrl: servers.nats.url,
      smtpUrl: servers.smtp.url,
      otlpUrl: options.otlpUrl,
      serviceUrls,
      generated: generatedSecrets(),
    };
    const running = new Map<string, RunningService>();
    teardown.add(async () => {
      for (const { started } of [...running.values()].reverse())
        await stopService(started);
    });
    const start = (service: RunningService) =>
      startWorkloads(service, endpoints, options);
    for (const entry of ordered) {
      await createDatabase(servers.postgres, entry.service.name);
      const started = await Promise.all(
        entry.service.workloads.map(async workload => ({
          workload,
          port: await freePort(),
        })),
      );
      const service = { entry, started };
      running.set(entry.service.name, service);
      await start(service);
      // The API is the Deployment named as the service; its Kubernetes Service points there.
      const api =
        started.find(s => s.workload.name === entry.service.name) ?? started[0];
      serviceUrls.set(entry.service.name, `http://127.0.0.1:${api.port}`);
    }
    const state: StackState = {
      dir,
      postgres: servers.postgres.connectionString,
      nats: servers.nats.url,
      smtp: servers.smtp.url,
      mailDir,
      services: Object.fromEntries(
        [...running].map(([name, { started }]) => [
          name,
          {
            url: serviceUrls.get(name)!,
            processes: processRecords(started),
          },
        ]),
      ),
    };
    const saveState = () =>
      writeFile(
        path.join(dir, 'stack.json'),
        `${JSON.stringify(state, null, 2)}\n`,
      );
    await saveState();
    return {
      state,
      async restart(name) {
        const found = running.get(name);
        if (!found) return;
        await stopService(found.started);
        await start(found);
        state.services[name].processes = processRecords(found.started);
        await saveState();
      },
      stop: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/**
 * The stack's PostgreSQL, NATS and mail sink, started side by side. Each message the sink
 * accepts is kept as `<mailDir>/<n>.eml`, then announced as a `mail |` line.
 */
async function startServers(
  mailDir: string,
  writeLine: (line: string) => void,
  teardown: Teardown,
) {
  await mkdir(mailDir);
  let mails = 0;
  const keepMail = (mail: SinkMail, raw: Buffer) => {
    mails += 1;
    const file = path.join(mailDir, `${String(mails).padStart(4, '0')}.eml`);
    writeFile(file, raw).then(
      () =>
        writeLine(`mail | to ${mail.to.join(', ')}: ${mail.subject} (${file})`),
      error => writeLine(`mail | could not keep ${file}: ${error}`),
    );
  };
  // Each registers its own stop as soon as it is up, so one failing to start leaves none running.
  const track = <T>(
    starting: Promise<T>,
    stop: (server: T) => Promise<unknown>,
  ) =>
    starting.then(server => {
      teardown.add(() => stop(server));
      return server;
    });
  const servers = [
    track(startPostgres(), postgres => postgres.stop()),
    track(startNats(), nats => nats.stop()),
    track(startSmtpSink(keepMail), smtp => smtp.close()),
  ] as const;
  const failed = (await Promise.allSettled(servers)).find(
    result => result.status === 'rejected',
  );
  if (failed) throw failed.reason;
  const [postgres, nats, smtp] = await Promise.all(servers);
  return { postgres, nats, smtp };
}

/** Starts a service's processes one after the other, each once the previous is ready. */
async function startWorkloads(
  { entry, started }: RunningService,
  endpoints: StackEndpoints,
  options: StackOptions,
) {
  for (const item of started) {
    const env = localEnvironment(
      entry.service,
      item.workload,
      endpoints,
      entry.env,
      item.port,
    );
    item.process = await startProcess(
      {
        name: item.workload.name,
        cwd: entry.service.dir,
        command: item.workload.command,
        env: { ...userEnvironment(options.baseEnv), ...env },
        readyUrl:
          item.workload.readyPath &&
          `http://127.0.0.1:${item.port}${item.workload.readyPath}`,
      },
      options.writeLine,
    );
  }
}

/** What stack.json says of a service's processes. */
const processRecords = (started: readonly Started[]) =>
  started.map(s => ({
    name: s.workload.name,
    pid: s.process!.pid,
    port: s.port,
  }));

async function stopService(started: readonly Started[]) {
  await Promise.all(started.map(s => s.process?.stop()));
}

/** `billing-api` → database `billing_api`, as a cluster gives each service its own. */
const databaseName = (service: string) => service.replace(/-/g, '_');

function databaseUrl(postgres: ThrowawayPostgres, service: string): string {
  const url = new URL(postgres.connectionString);
  url.pathname = `/${databaseName(service)}`;
  return url.toString();
}

async function createDatabase(postgres: ThrowawayPostgres, service: string) {
  const client = new pg.Client({ connectionString: postgres.connectionString });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${databaseName(service)}`);
  } finally {
    await client.end();
  }
}

/** What a service gets from the developer's shell: PATH, HOME, locale and the machine's CA settings. */
function userEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = [
    'PATH',
    'HOME',
    'LANG',
    'TZ',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
  ];
  return Object.fromEntries(
    keep.flatMap(key => (env[key] ? [[key, env[key]!]] : [])),
  );
}
