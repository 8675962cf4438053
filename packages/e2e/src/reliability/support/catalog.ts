// What the catalog serves, read through its API.
import { type BackendProcess } from '../../backend/backendProcess';
import { api } from '../../scaffolder/scaffolderApi';

interface CatalogEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
}

/** Every Component in the catalog (one page is plenty here). */
export async function components(
  backend: BackendProcess,
): Promise<CatalogEntity[]> {
  const { items } = await api<{ items: CatalogEntity[] }>(
    backend,
    '/api/catalog/entities/by-query?filter=kind=component&limit=1000',
  );
  return items;
}

/** Every registered location's target. */
export async function locationTargets(
  backend: BackendProcess,
): Promise<string[]> {
  const rows = await api<{ data: { type: string; target: string } }[]>(
    backend,
    '/api/catalog/locations',
  );
  return rows.map(r => r.data.target);
}

/** `name -> how many times it occurs`, keeping only names seen more than once. */
export function duplicates(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1));
}
