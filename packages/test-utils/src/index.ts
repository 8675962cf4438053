export { startPostgres } from './postgres';
export type { ThrowawayPostgres } from './postgres';
export { freePort } from './ports';
export { TEST_PLATFORM } from './platform';
export { recordingScheduler, type ScheduledTask } from './recordingScheduler';
export { fixedService } from './fixedService';
export {
  startGithubDouble,
  makeSourceRepo,
  type GithubDouble,
  type GithubDoubleOptions,
  type RecordedRequest,
  type DoubleRepo,
  type Fault,
} from './github-double';
export {
  tempDir,
  tempDirSync,
  removeTempDirs,
  leftoverTempEntries,
  TEMP_PREFIX,
} from './tempDirs';
export {
  ENGINES,
  emptyDatabase,
  testDatabases,
  type Engine,
} from './testDatabases';
export {
  EXAMPLE_SERVICE,
  exampleFile,
  exampleSli,
  exampleSlo,
  type ExampleOptions,
} from './openslo';
export {
  makeTemplateRepo,
  gitIn,
  templateYaml,
  textLines,
  type TemplateRelease,
} from './templateRepo';
export * from './pagerduty-double';
