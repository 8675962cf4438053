import fs from 'node:fs/promises';
import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

/** Where the published file lives inside the repository, from its URL (local provider or GitHub). */
export function repoPathOf(catalogInfoUrl: string): string {
  const { pathname } = new URL(catalogInfoUrl);
  const match =
    /\/contents\/(.+)$/.exec(pathname) ?? /\/blob\/[^/]+\/(.+)$/.exec(pathname);
  return decodeURIComponent(match ? match[1] : path.posix.basename(pathname));
}

/**
 * The entity ref the registered file declares, read from the task's workspace (what was just
 * published): its Component, else its first entity. Undefined when the file is not there or not
 * readable as catalog YAML; the action then cannot name the entity before the catalog does.
 */
export async function expectedEntityRef(
  workspacePath: string,
  catalogInfoUrl: string,
): Promise<string | undefined> {
  try {
    const root = path.resolve(workspacePath);
    const file = path.resolve(root, repoPathOf(catalogInfoUrl));
    if (!file.startsWith(root + path.sep)) return undefined;
    const text = await fs.readFile(file, 'utf8');
    const entities = parseAllDocuments(text)
      .map(
        doc =>
          doc.toJS() as {
            kind?: unknown;
            metadata?: { name?: unknown; namespace?: unknown };
          } | null,
      )
      .filter(
        e =>
          e &&
          typeof e.kind === 'string' &&
          typeof e.metadata?.name === 'string',
      );
    const chosen = entities.find(e => e!.kind === 'Component') ?? entities[0];
    if (!chosen) return undefined;
    return stringifyEntityRef({
      kind: chosen.kind as string,
      namespace:
        typeof chosen.metadata?.namespace === 'string'
          ? chosen.metadata.namespace
          : undefined,
      name: chosen.metadata!.name as string,
    });
  } catch {
    return undefined;
  }
}
