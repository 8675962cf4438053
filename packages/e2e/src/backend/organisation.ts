import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './backendProcess';

const ORG_KINDS = ['groups', 'users', 'domains', 'systems'] as const;

/** Entity refs (`kind:default/name`) of the organisation as committed under catalog/. */
export function organisationRefs(): string[] {
  const refs: string[] = [];
  for (const folder of ORG_KINDS) {
    const dir = join(REPO_ROOT, 'catalog', folder);
    for (const file of readdirSync(dir).filter(f => /\.ya?ml$/.test(f))) {
      const entity = parse(readFileSync(join(dir, file), 'utf8'));
      refs.push(
        `${String(entity.kind).toLowerCase()}:default/${entity.metadata.name}`,
      );
    }
  }
  return refs.sort();
}
