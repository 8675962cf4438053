import {
  Counter,
  defineWorker,
  errorMessage,
  startWorker as startRuntimeWorker,
  type Env,
  type Logger,
  type Registry,
  type SpanProcessor,
} from '@paver/service-runtime';
import { app } from './app.js';
import { createAdapters } from './domain/adapters/index.js';
import { Dispatcher, type DispatchReport } from './domain/dispatcher.js';
import { loadProviderSettings, type ProviderSettings } from './domain/provider-settings.js';
import { loadNotificationSettings, type NotificationSettings } from './domain/settings.js';

export interface WorkerOptions {
  /** Where log lines go. @default process.stdout */
  writeLog?: (line: string) => void;
  /** Pause between rounds that found nothing to do. @default 1000 */
  idleMs?: number;
  /** Extra span processors (tests collect the delivery spans with one). */
  spanProcessors?: SpanProcessor[];
}

/** What `startWorker` gives back: stop it, and where its /healthz, /readyz and /metrics answer. */
export interface RunningWorker {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The worker's own settings, read as the API reads them. They throw a ConfigError naming the
 * variable (a provider missing in production).
 */
function workerSettings(env: Env, warn: (message: string) => void = () => {}): { settings: NotificationSettings; providers: ProviderSettings } {
  return { settings: loadNotificationSettings(env), providers: loadProviderSettings(env, warn) };
}

/**
 * The outbox dispatcher on the runtime's worker support: the same settings, pool, migrations,
 * logs and traces as the API, and a small server on PORT with /healthz (failing once the
 * dispatch loop died), /readyz (the database answers) and /metrics.
 */
export function createWorker(options: Pick<WorkerOptions, 'idleMs'> = {}) {
  return defineWorker({
    // The service's name, so DATABASE_SCHEMA defaults to the API's schema; logs and traces say
    // `<service>-worker`.
    name: app.name,
    serviceName: `${app.name}-worker`,
    root: app.root,
    // Before the runtime migrates: a worker that cannot deliver never touches the database.
    validate: config => void workerSettings(config.env),
    async start({ db, config, logger, metrics }) {
      const { settings, providers } = workerSettings(config.env, message => logger.warn(message));
      const count = dispatchCounter(metrics.registry);
      const dispatcher = new Dispatcher({
        db,
        settings,
        adapters: createAdapters(db, providers),
        onError: error => logger.warn({ reason: errorMessage(error) }, 'dispatch round failed; retrying'),
        onReport: report => {
          count(report);
          logger.info({ ...report }, 'dispatch round');
        },
      });
      dispatcher.start(options.idleMs);
      logStarted(logger, providers);
      return { stop: () => dispatcher.stop(), alive: () => dispatcher.alive() };
    },
  });
}

/** What `node dist/worker.js` runs (src/worker.ts). */
export const worker = createWorker();

/** The worker as tests start it, the way `node dist/worker.js` does. */
export async function startWorker(env: Env, options: WorkerOptions = {}): Promise<RunningWorker> {
  return startRuntimeWorker(createWorker({ idleMs: options.idleMs }), env, {
    writeLog: options.writeLog,
    spanProcessors: options.spanProcessors,
  });
}

const OUTCOMES = ['sent', 'retried', 'deadLettered', 'suppressed', 'lostClaims'] as const satisfies readonly (keyof DispatchReport)[];
const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = {
  sent: 'sent',
  retried: 'retried',
  deadLettered: 'dead_lettered',
  suppressed: 'suppressed',
  lostClaims: 'lost_claim',
};

/** `notification_deliveries_total{outcome}`: what this worker's rounds did with the messages they claimed. */
function dispatchCounter(registry: Registry) {
  const deliveries = new Counter({
    name: 'notification_deliveries_total',
    help: 'Outbox messages this worker claimed, by outcome (sent, retried, dead_lettered, suppressed, lost_claim).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of OUTCOMES) deliveries.inc({ outcome: OUTCOME_LABELS[outcome] }, 0);
  return (report: DispatchReport) => {
    for (const outcome of OUTCOMES) if (report[outcome] > 0) deliveries.inc({ outcome: OUTCOME_LABELS[outcome] }, report[outcome]);
  };
}

function logStarted(logger: Logger, { email, sms }: ProviderSettings) {
  logger.info({ email_provider: email.kind, sms_provider: sms.kind, email_outbox_dir: email.kind === 'file' ? email.directory : undefined }, 'dispatcher started');
}
