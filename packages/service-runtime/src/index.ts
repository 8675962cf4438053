// The API a golden-path service codes against. A breaking change here is a major version.
export {
  guardedOperations,
  VERIFY_EXTENSION,
  type GuardedOperation,
  type Principal,
} from './bearer.js';
export {
  defaultSchemaFor,
  intSetting,
  loadRuntimeConfig,
  oneOf,
  readSettings,
  requiredSetting,
  runtimeEnvSchema,
  type Env,
  type LogLevel,
  type RuntimeConfig,
} from './config.js';
export {
  createDatabase,
  isUnavailable,
  type Database,
  type DatabaseOptions,
  type Db,
} from './db.js';
export {
  ConfigError,
  ContractError,
  errorMessage,
  HttpError,
} from './errors.js';
export {
  jsonObject,
  stringField,
  type Handler,
  type Handlers,
  type HttpRequest,
  type HttpResponse,
} from './http.js';
export { createLogger, type Logger } from './logger.js';
export {
  Counter,
  Gauge,
  Histogram,
  Registry,
  ServiceMetrics,
} from './metrics.js';
export { migrate, MigrationError } from './migrations.js';
export {
  checkContract,
  operations,
  readOpenApi,
  RUNTIME_OPERATIONS,
  type OpenApiDocument,
} from './openapi.js';
export {
  migrationsDir,
  openRuntime,
  type ProcessIdentity,
  type RunningProcess,
  type Runtime,
  type StartOptions,
} from './runtime.js';
export {
  defineService,
  openApiFile,
  runService,
  startService,
  type BackgroundDeps,
  type RunningService,
  type ServiceDefinition,
  type ServiceDeps,
} from './service.js';
export {
  defineWorker,
  runWorker,
  startWorker,
  type RunningWorker,
  type WorkerDefinition,
  type WorkerLoop,
} from './worker.js';
export {
  initTracing,
  SpanKind,
  traceCarrier,
  withSpan,
  type SpanProcessor,
  type TraceCarrier,
} from './tracing.js';
