import type { Entity } from '@backstage/catalog-model';
import type { CatalogProblem } from './problems';

/** One entity as read from disk: which file, and which YAML document in it (0-based). */
export interface LoadedEntity {
  entity: Entity;
  file: string;
  documentIndex: number;
}

/** What {@link loadCatalog} read; treat it as immutable, since lookups are indexed once. */
export interface LoadedCatalog {
  /** Absolute path of the catalog folder; `file` values are shown relative to its parent. */
  root: string;
  /** Every YAML file found, in load order (sorted by path), shown like {@link LoadedEntity.file}. */
  files: string[];
  entities: LoadedEntity[];
  /** Files or documents that could not be read as entities at all. */
  problems: CatalogProblem[];
}
