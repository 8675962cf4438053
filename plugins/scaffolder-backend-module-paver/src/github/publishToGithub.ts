import { InputError } from '@backstage/errors';
import type { GithubClient } from './createGithubClient';
import { ensureCommit } from './ensureCommit';
import { taskMarker } from './marker';
import {
  type PublishToGithubInput,
  validatePublishToGithubInput,
} from './publishToGithubInput';
import { pushWithBackoff } from './push';
import {
  type RepoFacts,
  claim,
  createRepository,
  findRepository,
  ownerIsOrg,
} from './repository';
import { grantTeam, protectBranch, setTopics } from './settings';

export interface PublishToGithubResult {
  htmlUrl: string;
  cloneUrl: string;
  /** Whether this run created the repository (false: an earlier attempt of the task did). */
  created: boolean;
  /** What each step did, e.g. ["repository:created", "topics:set", "push:pushed", ...]. */
  steps: string[];
}

/** Finds this task's repository or creates it; nothing external happens before this. */
async function obtainRepository(
  client: GithubClient,
  input: PublishToGithubInput,
  done: (s: string) => void,
) {
  const r = { ...input };
  const marker = taskMarker(input.taskId);
  const found = await findRepository(client, r);
  if (found) {
    const repo = claim(found, r, marker);
    if (input.teamSlug && repo.owner.type !== 'Organization')
      throw teamOnUser(input);
    done('repository:resumed');
    return { repo, created: false };
  }
  const isOrg = await ownerIsOrg(client, r);
  if (input.teamSlug && !isOrg) throw teamOnUser(input);
  const { repo, outcome } = await createRepository(
    client,
    r,
    isOrg,
    marker,
    input.timing?.createLookupsMs,
  );
  done(`repository:${outcome}`);
  return { repo, created: true };
}

function teamOnUser(input: PublishToGithubInput) {
  return new InputError(
    `teamSlug ${input.teamSlug} given, but ${input.owner} is a user, not an organisation`,
  );
}

/**
 * Publishes a rendered workspace to GitHub as a saga. Its point of no return is creating the
 * repository; every step after it is idempotent, so rerunning the task resumes where it stopped.
 * Never two repositories for one task; never a repository deleted as rollback.
 */
export async function publishToGithub(
  client: GithubClient,
  input: PublishToGithubInput,
): Promise<PublishToGithubResult> {
  validatePublishToGithubInput(input);
  const branch = input.defaultBranch ?? 'main';
  const { owner, repo: name, logger, signal } = input;
  const steps: string[] = [];
  const done = (step: string) => {
    steps.push(step);
    logger.info(`GitHub ${owner}/${name}: ${step}`);
  };
  await ensureCommit(input.sourceDir, branch);

  const { repo, created } = await obtainRepository(client, input, done);
  const ref = { owner, repo: name, signal };
  await setTopics(client, ref, [
    ...(repo.topics ?? []),
    ...input.topics,
    taskMarker(input.taskId).topic,
  ]);
  done('topics:set');
  const pushed = await pushWithBackoff({
    sourceDir: input.sourceDir,
    cloneUrl: repo.clone_url,
    branch,
    tokens: client.tokens,
    logger,
    signal,
    attempts: input.timing?.pushAttempts,
    baseDelayMs: input.timing?.pushBaseDelayMs,
  });
  done(`push:${pushed}`);
  await protectBranch(client, ref, branch);
  done('protection:set');
  if (input.teamSlug && isOrg(repo)) {
    await grantTeam(client, ref, input.teamSlug);
    done('team:granted');
  } else {
    done('team:skipped');
  }
  return { htmlUrl: repo.html_url, cloneUrl: repo.clone_url, created, steps };
}

const isOrg = (repo: RepoFacts) => repo.owner.type === 'Organization';
