export { publishToGithub } from './GithubPublisher';
export type { PublishResult } from './GithubPublisher';
export type { PublishInput } from './publishInput';
export { createGithubClient } from './createGithubClient';
export type {
  GithubClient,
  GithubClientOptions,
  ProgressLogger,
} from './createGithubClient';
export {
  RequestPacer,
  processWidePacer,
  GITHUB_SECONDARY_LIMITS,
} from './RequestPacer';
export type { PacingOptions, PacingWindow } from './RequestPacer';
export { getTokenFromCredentialsProvider, tokenSource } from './tokens';
export type { GithubAuth, TokenSource } from './tokens';
export { taskMarker, carriesMarker } from './marker';
export type { TaskMarker } from './marker';
export { GitCommandError } from './git';
