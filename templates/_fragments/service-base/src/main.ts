import { loadConfig } from './platform/config.js';
import { startService, type RunningService } from './platform/app.js';
import { createRoutes } from './service.js';

const fatal = (msg: string, error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  const reason = `${error instanceof Error ? error.message : String(error)}${cause}`;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg, reason })}\n`);
  process.exit(1);
};

// Settings come from the environment (12-factor); see src/platform/config.ts for each variable.
// A bad setting or an unreachable database at start exits non-zero with the reason, so the
// orchestrator restarts the service and the reason is the last log line.
let service: RunningService;
try {
  service = await startService(loadConfig(process.env), createRoutes);
} catch (error) {
  fatal('startup failed', error);
}
process.on('uncaughtException', error => fatal('uncaught exception', error));
process.on('unhandledRejection', error => fatal('unhandled rejection', error));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'stopping', signal })}\n`);
  await service.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
