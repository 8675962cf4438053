// The outbox dispatcher as its own process (`node dist/worker.js`): run one or more beside the API.
// Replicas are safe: messages are claimed with SKIP LOCKED and settled under a claim token.
import { loadConfig } from './platform/config.js';
import { createDatabase, migrate } from './platform/db.js';
import { createLogger, errorMessage } from './platform/log.js';
import { createAdapters, emailOutboxDir } from './domain/adapters/index.js';
import { Dispatcher } from './domain/dispatcher.js';
import { loadNotificationSettings } from './domain/settings.js';

const config = loadConfig(process.env);
const settings = loadNotificationSettings(config.env);
const logger = createLogger({ service: `${config.serviceName}-worker`, level: config.logLevel });
const db = createDatabase({
  connectionString: config.databaseUrl,
  schema: config.databaseSchema,
  onError: error => logger.warn('idle database connection lost', { reason: errorMessage(error) }),
});
await migrate(db);

const dispatcher = new Dispatcher({
  db,
  settings,
  adapters: createAdapters(db, config.env),
  onError: error => logger.warn('dispatch round failed; retrying', { reason: errorMessage(error) }),
  onReport: report => logger.info('dispatch round', { ...report }),
});
dispatcher.start();
logger.info('dispatcher started', { email_outbox_dir: emailOutboxDir(config.env) });

async function shutdown(signal: string) {
  logger.info('stopping', { signal });
  await dispatcher.stop();
  await db.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
