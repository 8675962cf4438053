import fs from 'node:fs';
import {
  type GithubDouble,
  makeSourceRepo,
  startGithubDouble,
} from '@paver/test-utils';
import { ConfigReader } from '@backstage/config';
import { createGithubPublishProvider } from '../actions/publish/github';
import { readPaverConfig } from '../config';
import { createGithubClient } from '../github/createGithubClient';
import {
  type GithubClientDeps,
  githubClientFromConfig,
} from '../github/githubClientFromConfig';
import type { PublishToGithubInput } from '../github/publishToGithubInput';
import { RequestPacer } from '../github/RequestPacer';

// Shared set-up for the publisher's tests: a double, a client on it with a roomy pacer (pacing
// has its own tests), and inputs with short waits.

export function recordingLogger(onInfo: (message: string) => void = () => {}) {
  const lines: string[] = [];
  return {
    lines,
    info: (message: string) => {
      lines.push(message);
      onInfo(message);
    },
    warn: (message: string) => lines.push(`warn: ${message}`),
  };
}

/**
 * paver:repo:publish's GitHub provider as the module builds it, from config that points
 * `integrations.github` at the double (with `token`, if given) and publishes to `acme`.
 */
export async function githubProviderOn(
  double: GithubDouble,
  token: string | undefined,
  deps?: GithubClientDeps,
) {
  const host = new URL(double.url).host;
  const config = new ConfigReader({
    paver: {
      publish: { provider: 'github', github: { owner: 'acme', host } },
    },
    integrations: {
      github: [
        { host, apiBaseUrl: double.apiBaseUrl, ...(token ? { token } : {}) },
      ],
    },
  });
  const github = readPaverConfig(config).publish.github!;
  return createGithubPublishProvider(
    github,
    await githubClientFromConfig(config, github, deps),
  );
}

export function roomyPacer() {
  return new RequestPacer({
    windows: [{ limit: 1000, windowMs: 1000 }],
    minIntervalMs: 0,
    latencyAllowanceMs: 0,
  });
}

export function useDouble() {
  const state: { double: GithubDouble; dirs: string[] } = {
    double: undefined!,
    dirs: [],
  };
  beforeEach(async () => {
    state.double = await startGithubDouble();
  });
  afterEach(async () => {
    await state.double.stop();
    state.dirs
      .splice(0)
      .forEach(d => fs.rmSync(d, { recursive: true, force: true }));
  });
  const source = (files?: Record<string, string>) => {
    const dir = makeSourceRepo(files);
    state.dirs.push(dir);
    return dir;
  };
  return {
    get double() {
      return state.double;
    },
    /** A client whose getToken asks the double for a fresh installation token each time. */
    client(getToken = async () => state.double.issueToken()) {
      return createGithubClient({
        baseUrl: state.double.apiBaseUrl,
        getToken,
        pacer: roomyPacer(),
      });
    },
    source,
    input(overrides: Partial<PublishToGithubInput> = {}): PublishToGithubInput {
      return {
        owner: 'acme',
        repo: 'billing',
        description: 'Billing service',
        visibility: 'private',
        topics: ['paver', 'billing'],
        teamSlug: 'payments',
        taskId: '0b6a4e1c-7d2f-4c1e-9a55-3f2b8c1d9e77',
        sourceDir: overrides.sourceDir ?? source(),
        logger: recordingLogger(),
        timing: {
          pushAttempts: 4,
          pushBaseDelayMs: 50,
          createLookupsMs: [0, 20],
        },
        ...overrides,
      };
    },
  };
}
