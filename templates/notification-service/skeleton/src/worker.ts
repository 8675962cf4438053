// The outbox dispatcher as its own process (`node dist/worker.js`): run one or more beside the API.
// Replicas are safe: messages are claimed with SKIP LOCKED and settled under a claim token. The
// runtime runs it (src/worker-app.ts): settings, pool, migrations, logs and traces as the API's,
// /healthz, /readyz and /metrics on PORT, and a graceful stop on SIGTERM. A bad setting (a missing
// provider in production) or an unreachable database exits non-zero with the reason as the last
// log line, so the orchestrator shows why.
import { runWorker } from '@paver/service-runtime';
import { worker } from './worker-app.js';

await runWorker(worker);
