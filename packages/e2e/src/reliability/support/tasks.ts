// Scaffolder tasks as the Create page submits and follows them.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAnswersYaml } from '@paver/golden-path';

import { REPO_ROOT, type BackendProcess } from '../../backend/backendProcess';
import { api, type TaskEvent } from '../../scaffolder/scaffolderApi';

/** The billing-service fixture answers under another service name. */
export async function billingAnswers(
  name: string,
): Promise<Record<string, unknown>> {
  const answers = parseAnswersYaml(
    await fs.readFile(
      path.join(REPO_ROOT, 'templates/billing-service/fixtures/answers.yaml'),
      'utf8',
    ),
  );
  return { ...answers, name };
}

/** Creates a task as `token`'s user, as the Create page does; `secrets` go in the task's secrets. */
export async function submitTask(
  backend: BackendProcess,
  token: string,
  values: Record<string, unknown>,
  secrets?: Record<string, string>,
): Promise<string> {
  const { id } = await api<{ id: string }>(
    backend,
    '/api/scaffolder/v2/tasks',
    {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/billing-service',
        values,
        ...(secrets ? { secrets } : {}),
      }),
    },
    token,
  );
  return id;
}

export interface TaskView {
  id: string;
  status: string;
}

export async function getTask(
  backend: BackendProcess,
  token: string,
  id: string,
): Promise<TaskView> {
  return api<TaskView>(backend, `/api/scaffolder/v2/tasks/${id}`, {}, token);
}

export async function taskEvents(
  backend: BackendProcess,
  token: string,
  id: string,
): Promise<TaskEvent[]> {
  return api<TaskEvent[]>(
    backend,
    `/api/scaffolder/v2/tasks/${id}/events`,
    {},
    token,
  );
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Polls (every 2 s, bounded) until the task reaches a final status; returns the last status seen,
 * which is `processing` or `open` when the bound ran out, so the caller's assertion says so.
 */
export async function waitForTaskEnd(
  backend: BackendProcess,
  token: string,
  id: string,
  boundMs = 300_000,
): Promise<string> {
  const until = Date.now() + boundMs;
  let status = 'unknown';
  while (Date.now() < until) {
    status = (await getTask(backend, token, id)).status;
    if (FINAL.has(status)) return status;
    await sleep(2_000);
  }
  return status;
}

/** Polls `backend.output()` (bounded) until it contains `text`; fails with the output otherwise. */
export async function waitForOutput(
  backend: BackendProcess,
  text: string,
  boundMs = 300_000,
): Promise<void> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (backend.output().includes(text)) return;
    if (backend.child.exitCode !== null) break;
    await sleep(250);
  }
  throw new Error(
    `backend never printed "${text}":\n${backend.output().slice(-8_000)}`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
