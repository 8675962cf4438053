import { loadConfig } from './platform/config.js';
import { createDatabase, migrate } from './platform/db.js';
import { createLogger, errorMessage } from './platform/log.js';
import { createAdapters } from './domain/adapters/index.js';
import { Dispatcher } from './domain/dispatcher.js';
import { loadProviderSettings } from './domain/provider-settings.js';
import { loadNotificationSettings } from './domain/settings.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface WorkerOptions {
  /** Where log lines go. @default process.stdout */
  writeLog?: (line: string) => void;
  /** Pause between rounds that found nothing to do. @default 1000 */
  idleMs?: number;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * What `node dist/worker.js` does before it waits for a signal (tests start the worker the same
 * way): read the settings, migrate, start the dispatcher. A bad setting throws a ConfigError
 * before the database is touched, so a worker that cannot deliver never claims a message.
 */
export async function startWorker(env: Env, options: WorkerOptions = {}): Promise<RunningWorker> {
  const config = loadConfig(env);
  const settings = loadNotificationSettings(config.env);
  const logger = createLogger({ service: `${config.serviceName}-worker`, level: config.logLevel, write: options.writeLog });
  const providers = loadProviderSettings(config.env, message => logger.warn(message));
  const db = createDatabase({
    connectionString: config.databaseUrl,
    schema: config.databaseSchema,
    onError: error => logger.warn('idle database connection lost', { reason: errorMessage(error) }),
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  const dispatcher = new Dispatcher({
    db,
    settings,
    adapters: createAdapters(db, providers),
    onError: error => logger.warn('dispatch round failed; retrying', { reason: errorMessage(error) }),
    onReport: report => logger.info('dispatch round', { ...report }),
  });
  dispatcher.start(options.idleMs);
  const { email, sms } = providers;
  logger.info('dispatcher started', { email_provider: email.kind, sms_provider: sms.kind, email_outbox_dir: email.kind === 'file' ? email.directory : undefined });
  return {
    async stop() {
      await dispatcher.stop();
      await db.close();
    },
  };
}
