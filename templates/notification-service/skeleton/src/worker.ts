// The outbox dispatcher as its own process (`node dist/worker.js`): run one or more beside the API.
// Replicas are safe: messages are claimed with SKIP LOCKED and settled under a claim token.
import { startWorker, type RunningWorker } from './worker-app.js';

// Like main.ts: a bad setting (a missing provider in production) or an unreachable database at
// start exits non-zero with the reason as the last log line, so the orchestrator shows why.
const fatal = (msg: string, error: unknown): never => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg, reason })}\n`);
  process.exit(1);
};

let worker: RunningWorker;
try {
  worker = await startWorker(process.env);
} catch (error) {
  fatal('worker startup failed', error);
}

async function shutdown(signal: string) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'stopping', signal })}\n`);
  await worker.stop();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
