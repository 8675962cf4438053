// One PostgreSQL for the whole test run, unless DATABASE_URL already names one.
export { setupPostgres as default } from '@paver/service-runtime/testing';
