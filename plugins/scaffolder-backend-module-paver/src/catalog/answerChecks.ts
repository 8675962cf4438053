import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** The part of the catalog the answer checks read. */
export type CatalogReader = Pick<CatalogService, 'getEntityByRef'>;

/**
 * Server-side checks of answers against the catalog: the form's pickers only suggest, and an API
 * caller or a stale form can send anything. Each error names the answer field it is about.
 */
export class AnswerChecks {
  constructor(
    private readonly catalog: CatalogReader,
    private readonly credentials: () => Promise<BackstageCredentials>,
  ) {}

  /** `ref` must name an entity of `kind` (e.g. Group) that the catalog holds; else a 400. */
  async assertExists(
    field: string,
    ref: unknown,
    kind: 'Group' | 'System',
  ): Promise<void> {
    if (typeof ref !== 'string')
      throw new InputError(`${field}: must be a ${kind} entity ref`);
    let parsed;
    try {
      parsed = parseEntityRef(ref);
    } catch {
      throw new InputError(`${field}: "${ref}" is not an entity ref`);
    }
    if (parsed.kind.toLowerCase() !== kind.toLowerCase()) {
      throw new InputError(
        `${field}: must be a ${kind}, got ${stringifyEntityRef(parsed)}`,
      );
    }
    const entity = await this.catalog.getEntityByRef(parsed, {
      credentials: await this.credentials(),
    });
    if (!entity) {
      throw new InputError(
        `${field}: ${kind} ${stringifyEntityRef(
          parsed,
        )} does not exist in the catalog`,
      );
    }
  }

  /** No Component may already carry the new service's name; else a 409. */
  async assertComponentNameFree(field: string, name: string): Promise<void> {
    const ref = stringifyEntityRef({
      kind: 'Component',
      namespace: 'default',
      name,
    });
    if (
      await this.catalog.getEntityByRef(ref, {
        credentials: await this.credentials(),
      })
    ) {
      throw new ConflictError(`${field}: ${ref} already exists in the catalog`);
    }
  }
}
