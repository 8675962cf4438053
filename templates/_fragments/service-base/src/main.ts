// Settings come from the environment (12-factor): the runtime's are listed in README.md
// (DATABASE_URL, PORT, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT, ...), the domain's in src/domain.
// A bad setting or an unreachable database at start exits non-zero with the reason, so the
// orchestrator restarts the service and the reason is the last log line.
import { runService } from '@paver/service-runtime';
import { app } from './app.js';

await runService(app);
