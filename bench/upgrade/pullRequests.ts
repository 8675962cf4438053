// Fleet upgrade pull requests on the GitHub double: N services made from billing-service 1.0.0
// (every other one with its README edited by its team) seeded as repositories the scaffolder
// created, then `upgradeGithubFleet` to 2.0.0 through a client with the default pacing (80/min,
// 500/h, 1 s apart, the process-wide pacer), as the module builds it without a database.
import fs from 'node:fs';
import path from 'node:path';
import {
  ANSWERS_FILE,
  parseAnswersYaml,
  renderToMemory,
  type RenderOptions,
  type TemplateReleases,
} from '@paver/golden-path';
import { startGithubDouble } from '@paver/test-utils';
import { createGithubClient } from '../../plugins/scaffolder-backend-module-paver/src/github';
import { upgradeGithubFleet } from '../../plugins/scaffolder-backend-module-paver/src/upgrade/githubFleet';

const TEMPLATE = 'billing-service';
const POST_PULLS = 'POST /repos/{owner}/{repo}/pulls';

export interface PullRequestFigures {
  services: number;
  opened: number;
  seconds: number;
  perMinute: number;
  /** Every write on the wire: pushes and POST …/pulls. */
  writes: number;
  /** The most POST …/pulls GitHub saw in any 60 s. */
  busiestMinute: number;
}

async function seedFleet(
  double: Awaited<ReturnType<typeof startGithubDouble>>,
  releases: TemplateReleases,
  root: string,
  count: number,
  platform: RenderOptions['platform'],
) {
  const template = await releases.load(TEMPLATE, '1.0.0');
  const fixture = path.join(
    root,
    'templates',
    TEMPLATE,
    'fixtures/answers.yaml',
  );
  const answers = parseAnswersYaml(fs.readFileSync(fixture, 'utf8'));
  for (let i = 0; i < count; i++) {
    const name = `svc-${i}`;
    const files = renderToMemory(template, { ...answers, name }, { platform });
    if (i % 2 === 1) {
      const readme = files.get('README.md') ?? Buffer.alloc(0);
      files.set(
        'README.md',
        Buffer.concat([readme, Buffer.from('\nOur own notes.\n')]),
      );
    }
    if (!files.has(ANSWERS_FILE))
      throw new Error(`${name} has no answers file`);
    double.seedRepo({
      owner: 'acme',
      name,
      topics: ['paver', `paver-task-${name}`],
      files,
    });
  }
}

function busiestMinute(arrivals: number[]) {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= 60_000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/** Opens the fleet's upgrade pull requests on a fresh double and reports the rate. */
export async function timePullRequests(
  releases: TemplateReleases,
  root: string,
  count: number,
  platform: RenderOptions['platform'],
): Promise<PullRequestFigures> {
  const double = await startGithubDouble();
  try {
    await seedFleet(double, releases, root, count, platform);
    const client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      getToken: async () => double.issueToken(),
    });
    const started = performance.now();
    const states = await upgradeGithubFleet(client, releases, {
      owner: 'acme',
      template: TEMPLATE,
      version: '2.0.0',
    });
    const seconds = (performance.now() - started) / 1000;
    const failed = states.filter(s => s.state === 'failed');
    if (failed.length > 0) throw new Error(`failed: ${JSON.stringify(failed)}`);
    const opened = states.filter(s => s.state === 'opened').length;
    const posts = double.requests().filter(r => r.endpoint === POST_PULLS);
    return {
      services: count,
      opened,
      seconds,
      perMinute: opened / (seconds / 60),
      writes: states.reduce((n, s) => n + s.writes.length, 0),
      busiestMinute: busiestMinute(posts.map(r => r.receivedAt)),
    };
  } finally {
    await double.stop();
  }
}
