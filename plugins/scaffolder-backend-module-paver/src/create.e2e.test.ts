import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '@paver/test-utils';
import { parseAnswersYaml } from '@paver/golden-path';
import {
  REPO_ROOT,
  TEST_TOKEN,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from '../../../packages/backend/src/testing/backendProcess';
import { git } from './local/git';
import { tempDir } from './testing/mockContext';

interface TaskEvent {
  type: string;
  body: { message?: string; stepId?: string };
}

/**
 * Creates a service from the portal's API on the real backend (SQLite, local git publishing),
 * the way the Create page does: a task for the billing-service golden path with its fixture
 * answers, followed to completion through the task's event stream.
 */
describe('creating a service on the real backend', () => {
  let backend: BackendProcess;
  let dataDir: string;
  let userToken: string;

  beforeAll(async () => {
    dataDir = await tempDir('paver-e2e-data-');
    const port = await freePort();
    backend = await spawnBackend({
      port,
      configFiles: ['app-config.yaml'],
      override: {
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
          // The catalog reads local repositories from this backend, on this test's port.
          reading: { allow: [{ host: `localhost:${port}`, paths: ['/api/scaffolder/paver/repos/'] }] },
        },
        paver: { publish: { provider: 'local', local: { dataDir } } },
        catalog: {
          locations: [
            { type: 'file', target: path.join(REPO_ROOT, 'catalog/all.yaml') },
            { type: 'file', target: path.join(REPO_ROOT, 'templates/*/template.yaml'), rules: [{ allow: ['Template'] }] },
            { type: 'file', target: path.join(__dirname, 'testing/stock-template/template.yaml'), rules: [{ allow: ['Template'] }] },
          ],
        },
      },
    });
    await waitForReady(backend);
    userToken = await guestToken(backend);
    for (const ref of ['template/default/billing-service', 'template/default/stock-hello', 'group/default/payments', 'system/default/billing']) {
      await waitForEntity(backend, ref);
    }
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('creates billing-api from the billing-service golden path: repository, catalog entry, owner', async () => {
    const answers = parseAnswersYaml(
      await fs.readFile(path.join(REPO_ROOT, 'templates/billing-service/fixtures/answers.yaml'), 'utf8'),
    );
    const { status, events } = await runTask(backend, userToken, 'template:default/billing-service', answers);
    expect(status, logOf(events)).toBe('completed');

    // Registered and visible at once: the task waited for it, no processing interval involved.
    const component = await api<{ spec: { owner: string } }>(backend, '/api/catalog/entities/by-name/component/default/billing-api');
    expect(component.spec.owner).toBe('group:default/payments');
    // The API entity resolves its `$text: ./openapi.yaml` through the url location.
    const apiEntity = await waitForEntity(backend, 'api/default/billing-api');
    expect(String(apiEntity.spec?.definition)).toContain('openapi:');

    const bare = path.join(dataDir, 'git/billing-api.git');
    expect(await git(['--git-dir', bare, 'config', '--get', 'paver.taskid'])).not.toBe('');
    const clone = path.join(await tempDir('paver-e2e-clone-'), 'billing-api');
    await git(['clone', '--quiet', bare, clone]);
    await expect(fs.access(path.join(clone, 'catalog-info.yaml'))).resolves.toBeUndefined();
    expect(await fs.readFile(path.join(clone, '.paver/answers.yaml'), 'utf8')).toContain('template: billing-service');
  }, 180_000);

  it('still runs a stock Backstage template (fetch:template, catalog:write, debug:log) beside ours', async () => {
    const { status, events } = await runTask(backend, userToken, 'template:default/stock-hello', { name: 'stock-hello-svc' });
    expect(status, logOf(events)).toBe('completed');
    expect(logOf(events)).toContain('stock template ran for stock-hello-svc');

    const clone = path.join(await tempDir('paver-e2e-clone-'), 'stock');
    await git(['clone', '--quiet', path.join(dataDir, 'git/stock-hello-svc.git'), clone]);
    expect(await fs.readFile(path.join(clone, 'README.md'), 'utf8')).toContain('# stock-hello-svc');
    expect(await fs.readFile(path.join(clone, 'catalog-info.yaml'), 'utf8')).toContain('name: stock-hello-svc');
  }, 180_000);
});

/** Signs in as the guest user, as the portal does; the scaffolder records the task as theirs. */
async function guestToken(backend: BackendProcess): Promise<string> {
  const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh?env=development`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

async function api<T>(backend: BackendProcess, urlPath: string, init: RequestInit = {}, token = TEST_TOKEN): Promise<T> {
  const res = await fetch(`${backend.baseUrl}${urlPath}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${urlPath}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The catalog ingests file locations asynchronously; poll (bounded) until it serves the entity. */
async function waitForEntity(backend: BackendProcess, ref: string): Promise<{ spec?: Record<string, unknown> }> {
  let last: unknown;
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      return await api(backend, `/api/catalog/entities/by-name/${ref}`);
    } catch (error) {
      last = error;
      await new Promise(r => setTimeout(r, 250));
    }
  }
  throw new Error(`catalog never served ${ref}: ${last}`);
}

/** Creates a task as the signed-in user, reads its event stream until completion, then its status. */
async function runTask(backend: BackendProcess, token: string, templateRef: string, values: object) {
  const { id } = await api<{ id: string }>(
    backend,
    '/api/scaffolder/v2/tasks',
    { method: 'POST', body: JSON.stringify({ templateRef, values }) },
    token,
  );
  const events = await streamEvents(backend, token, id);
  const { status } = await api<{ status: string }>(backend, `/api/scaffolder/v2/tasks/${id}`, {}, token);
  return { status, events };
}

async function streamEvents(backend: BackendProcess, token: string, id: string): Promise<TaskEvent[]> {
  const res = await fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks/${id}/eventstream`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
  const events: TaskEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, end).split('\n').find(l => l.startsWith('data: '));
      buffer = buffer.slice(end + 2);
      if (!data) continue;
      const event = JSON.parse(data.slice('data: '.length)) as TaskEvent;
      events.push(event);
      if (event.type === 'completion') return events;
    }
  }
  return events;
}

function logOf(events: TaskEvent[]): string {
  return events.map(e => e.body.message ?? '').join('\n');
}
