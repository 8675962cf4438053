import { TEST_TOKEN, type BackendProcess } from '../backend/backendProcess';

/** One event of a scaffolder task's event stream. */
export interface TaskEvent {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
}

/** Signs in as the guest user, as the portal does; the scaffolder records the task as theirs. */
export async function guestToken(backend: BackendProcess): Promise<string> {
  const res = await fetch(
    `${backend.baseUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  if (!res.ok)
    throw new Error(`guest sign-in: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

export async function api<T>(
  backend: BackendProcess,
  urlPath: string,
  init: RequestInit = {},
  token = TEST_TOKEN,
): Promise<T> {
  const res = await fetch(`${backend.baseUrl}${urlPath}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  if (!res.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${urlPath}: ${res.status} ${await res.text()}`,
    );
  return (await res.json()) as T;
}

/** The catalog ingests file locations asynchronously; poll (bounded) until it serves the entity. */
export async function waitForEntity(
  backend: BackendProcess,
  ref: string,
): Promise<{ spec?: Record<string, unknown> }> {
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
export async function runTask(
  backend: BackendProcess,
  token: string,
  templateRef: string,
  values: object,
) {
  const { id } = await api<{ id: string }>(
    backend,
    '/api/scaffolder/v2/tasks',
    { method: 'POST', body: JSON.stringify({ templateRef, values }) },
    token,
  );
  const events = await streamEvents(backend, token, id);
  const { status } = await api<{ status: string }>(
    backend,
    `/api/scaffolder/v2/tasks/${id}`,
    {},
    token,
  );
  return { status, events };
}

/**
 * Reads a task's event stream until its completion event. `onEvent` sees each event as it
 * arrives, for callers that time them.
 */
export async function streamEvents(
  backend: BackendProcess,
  token: string,
  id: string,
  onEvent?: (event: TaskEvent) => void,
): Promise<TaskEvent[]> {
  const res = await fetch(
    `${backend.baseUrl}/api/scaffolder/v2/tasks/${id}/eventstream`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
  const events: TaskEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (
      let end = buffer.indexOf('\n\n');
      end >= 0;
      end = buffer.indexOf('\n\n')
    ) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .find(l => l.startsWith('data: '));
      buffer = buffer.slice(end + 2);
      if (!data) continue;
      const event = JSON.parse(data.slice('data: '.length)) as TaskEvent;
      events.push(event);
      onEvent?.(event);
      if (event.type === 'completion') return events;
    }
  }
  return events;
}

export function logOf(events: TaskEvent[]): string {
  return events.map(e => e.body.message ?? '').join('\n');
}
