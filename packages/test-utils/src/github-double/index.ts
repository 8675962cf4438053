export { startGithubDouble } from './server';
export type {
  GithubDouble,
  GithubDoubleOptions,
  RecordedRequest,
  DoubleRepo,
} from './server';
export type { Fault } from './faults';
export { makeSourceRepo } from './sourceRepo';
