import {
  freePort,
  startPostgres,
  type ThrowawayPostgres,
  tempDir,
} from '@paver/test-utils';
import type { BackendProcess } from '../backend/backendProcess';
import { taskMarker } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { startGithubDouble, type GithubDouble } from '@paver/test-utils';
import { guestToken, logOf } from '../scaffolder/scaffolderApi';
import {
  billingAnswers,
  components,
  locationTargets,
  startPaverBackend,
  submitTask,
  taskEvents,
  waitForTaskEnd,
} from './support';

/**
 * docs/reliability.md, Faults row 3, inside the real backend: `paver.publish.provider: github` against
 * the GitHub double (token and API base URL from `integrations.github`), and the double answers 502
 * to "create repository" after creating it. The catalog reads the published catalog-info.yaml
 * through Backstage's GitHub URL reader, which the double answers from its bare repository
 * (`GET /repos/{owner}/{repo}/contents/{path}`, raw media type).
 */
describe('publishing to GitHub from the real backend when create answers 502 after creating', () => {
  const name = 'gh-billing';
  let pg: ThrowawayPostgres;
  let double: GithubDouble;
  let backend: BackendProcess;

  beforeAll(async () => {
    pg = await startPostgres();
    double = await startGithubDouble();
    const host = new URL(double.url).host;
    backend = await startPaverBackend({
      port: await freePort(),
      pg,
      dataDir: await tempDir('paver-gh-data-'),
      workingDirectory: await tempDir('paver-gh-work-'),
      paver: {
        publish: { provider: 'github', github: { owner: 'acme', host } },
      },
      integrations: {
        github: [
          { host, apiBaseUrl: double.apiBaseUrl, token: double.issueToken() },
        ],
      },
    });
  }, 600_000);

  afterAll(async () => {
    await backend?.stop();
    await double?.stop();
    await pg?.stop();
  }, 120_000);

  it('completes with exactly one repository, recognised by its marker, and one Component', async () => {
    const token = await guestToken(backend);
    double.inject({ kind: 'create-502' });
    const taskId = await submitTask(backend, token, await billingAnswers(name));
    const status = await waitForTaskEnd(backend, token, taskId);
    const events = await taskEvents(backend, token, taskId);
    expect(status, `${logOf(events)}\n${JSON.stringify(double.calls())}`).toBe(
      'completed',
    );

    // The 502 really happened, and no second create followed it.
    const creates = double
      .requests()
      .filter(r => r.endpoint === 'POST /orgs/{org}/repos');
    expect(creates.map(r => r.status)).toEqual([502]);
    const repos = double.repos().filter(r => r.name === name);
    expect(repos).toHaveLength(1);
    expect(repos[0].topics).toContain(taskMarker(taskId).topic);
    expect(repos[0].branches).toEqual(['main']);

    // The catalog read it from "GitHub": one Component, one location.
    const reads = double
      .requests()
      .filter(
        r =>
          r.endpoint === 'GET /repos/{owner}/{repo}/contents/{path}' &&
          r.status === 200,
      );
    expect(reads.map(r => r.path)).toContain(
      `/api/v3/repos/acme/${name}/contents/catalog-info.yaml`,
    );
    expect(
      (await components(backend)).filter(c => c.metadata.name === name),
    ).toHaveLength(1);
    expect(
      (await locationTargets(backend)).filter(t =>
        t.includes(`/acme/${name}/`),
      ),
    ).toHaveLength(1);
  }, 900_000);
});
