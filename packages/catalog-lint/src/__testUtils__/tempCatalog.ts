import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '@paver/test-utils';
import { stringify } from 'yaml';

/** A throwaway `<tmp>/catalog` folder; `remove()` deletes the whole temp parent. */
export interface TempCatalog {
  dir: string;
  parent: string;
  remove(): Promise<void>;
}

/** File contents are written as given when strings, or as YAML documents when objects. */
export type FixtureFiles = Record<string, string | object | object[]>;

/** Writes `files` (paths relative to the catalog folder) under a fresh temp `catalog/` folder. */
export async function writeTempCatalog(
  files: FixtureFiles,
): Promise<TempCatalog> {
  const parent = await tempDir('paver-catalog-lint-');
  const dir = path.join(parent, 'catalog');
  await fs.mkdir(dir);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, asText(content));
  }
  return {
    dir,
    parent,
    remove: () => fs.rm(parent, { recursive: true, force: true }),
  };
}

function asText(content: string | object | object[]): string {
  if (typeof content === 'string') {
    return content;
  }
  const documents = Array.isArray(content) ? content : [content];
  return documents.map(document => stringify(document)).join('---\n');
}

/** A valid Group; `spec` entries override the defaults. */
export function group(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, ...metadata },
    spec: { type: 'team', children: [], ...spec },
  };
}

/** A valid User, member of the given groups. */
export function user(name: string, memberOf: string[] = []) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf },
  };
}

/** A valid System owned by `owner`; `metadata` entries override the defaults. */
export function system(
  name: string,
  owner: string,
  metadata: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, ...metadata },
    spec: { owner },
  };
}

/** A valid Component owned by `owner`; `spec` entries override the defaults. */
export function component(
  name: string,
  owner: string,
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service', lifecycle: 'production', owner, ...spec },
  };
}

/**
 * A valid on-call schedule Resource: a weekly Berlin rotation of `members` from Monday
 * 5 January 2026, 09:00, paging whoever is on call; `schedule` entries override the block.
 */
export function onCallSchedule(
  name: string,
  owner: string,
  members: string[],
  schedule: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name },
    spec: {
      type: 'on-call-schedule',
      owner,
      schedule: {
        timeZone: 'Europe/Berlin',
        rotation: 'P1W',
        handoff: '2026-01-05T09:00',
        members,
        escalation: [{ afterMinutes: 0, targets: [{ type: 'on-call' }] }],
        ...schedule,
      },
    },
  };
}

/** A Location listing `targets`. */
export function location(name: string, targets: string[]) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name },
    spec: { targets },
  };
}

/** Writes the files to a temp catalog, loads and validates it, removes it, returns the problems. */
export async function lintFixture(files: FixtureFiles) {
  // Imported lazily so the fixture builders above stay free of the code under test.
  const { loadCatalog } = await import('../load');
  const { validateCatalog } = await import('../validate');
  const catalog = await writeTempCatalog(files);
  try {
    return await validateCatalog(await loadCatalog(catalog.dir));
  } finally {
    await catalog.remove();
  }
}
