import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { createPublishAction } from '../actions/publish/publish';
import { readPaverConfig } from '../config';
import { LocalRepositories } from '../local/localRepositories';
import { mockContext, tempDir } from '../__testUtils__/mockContext';
import { bareRepoFacts } from '../testUtils';

const input = {
  name: 'billing-api',
  owner: 'group:default/payments',
  description: 'Bills customers',
};

async function workspace(): Promise<string> {
  const dir = await tempDir('paver-workspace-');
  await fs.writeFile(path.join(dir, 'catalog-info.yaml'), 'kind: Component\n');
  return dir;
}

/** The kill point of killDuringPublish.e2e.test.ts, in isolation. */
describe('paver.testing.pauseAfterRepoCreateMs', () => {
  it('is off unless configured, and refuses a negative value', () => {
    expect(readPaverConfig(new ConfigReader({})).testing).toEqual({
      pauseAfterRepoCreateMs: 0,
    });
    expect(() =>
      readPaverConfig(
        new ConfigReader({
          paver: { testing: { pauseAfterRepoCreateMs: -1 } },
        }),
      ),
    ).toThrow(/pauseAfterRepoCreateMs must be/);
  });

  it('announces the pause after the bare repository exists and before anything is pushed, once per repository', async () => {
    const repos = new LocalRepositories(await tempDir('paver-data-'));
    const action = createPublishAction({
      defaultProvider: 'local',
      local: {
        repos,
        scaffolderBaseUrl: async () => 'http://localhost:7007/api/scaffolder',
      },
      testing: { pauseAfterRepoCreateMs: 5 },
    });
    const ctx = await mockContext(input, {
      workspacePath: await workspace(),
      taskId: 'task-7',
    });
    // The order of what happens: the pause is announced, then the push finds the marked, empty repo.
    const order: unknown[] = [];
    vi.spyOn(ctx.logger, 'info').mockImplementation((message: unknown) => {
      if (String(message).includes('pausing')) order.push(message);
    });
    const push = repos.push.bind(repos);
    vi.spyOn(repos, 'push').mockImplementation(async (...args) => {
      order.push(await bareRepoFacts(repos.barePath('billing-api')));
      return push(...args);
    });
    await action.handler(ctx);
    expect(order).toEqual([
      'paver.testing: created repository billing-api; pausing 5 ms before push',
      { marker: 'task-7', commits: [] },
    ]);

    // A rerun of the same task (a resumed one) finds its repository and does not pause again.
    const rerun = await mockContext(input, {
      workspacePath: await workspace(),
      taskId: 'task-7',
    });
    const rerunInfo = vi.spyOn(rerun.logger, 'info');
    await action.handler(rerun);
    expect(
      rerunInfo.mock.calls.some(([m]) => String(m).includes('pausing')),
    ).toBe(false);
    expect(
      (await bareRepoFacts(repos.barePath('billing-api'))).commits,
    ).toHaveLength(1);
  });
});
