// The runtime's throwaway clusters, which generated services' tests use too: one implementation.
export {
  startPostgres,
  type ThrowawayPostgres,
} from '@paver/service-runtime/testing/postgres';
