export { publishToGithub } from './publishToGithub';
export type { PublishToGithubResult } from './publishToGithub';
export type { PublishToGithubInput } from './publishToGithubInput';
export { createGithubClient } from './createGithubClient';
export type {
  GithubClient,
  GithubClientOptions,
  ProgressLogger,
} from './createGithubClient';
export { RequestPacer, processWidePacer } from './RequestPacer';
export { GITHUB_SECONDARY_LIMITS } from './pacing';
export type { GithubPacer, PacingOptions, PacingWindow } from './pacing';
export { DatabasePacer } from './DatabasePacer';
export type { DatabasePacerOptions } from './DatabasePacer';
export { ledgerSupported } from './pacingLedger';
export { getTokenFromCredentialsProvider, tokenSource } from './tokens';
export type { GithubAuth, TokenSource } from './tokens';
export { taskMarker, carriesMarker } from './marker';
export type { TaskMarker } from './marker';
