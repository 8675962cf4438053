import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { locationSpecToMetadataName, type CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { forScaffolder } from '../parseInput';
import { examples } from './register.examples';
import { parseRegisterInput, registerInput, registerOutput } from './register.schema';
import { waitForEntity } from './waitForEntity';

export const REGISTER_ACTION_ID = 'paver:catalog:register';

/** Publishing worked and registration did not; retrying the task registers it. */
export class NotRegisteredError extends Error {
  constructor(url: string, cause: Error) {
    super(`published to ${url}, not registered: ${cause.message}`, { cause });
    this.name = 'NotRegisteredError';
  }
}

export interface RegisterActionOptions {
  catalog: Pick<CatalogService, 'addLocation' | 'refreshEntity' | 'getEntities' | 'getEntityByRef'>;
  /** The module's own credentials, for reading back what was registered. */
  serviceCredentials: () => Promise<BackstageCredentials>;
  /** @default 30000 */
  timeoutMs?: number;
  /** @default 200 */
  pollIntervalMs?: number;
}

/**
 * `paver:catalog:register`: registers a `url` location and makes the new entity visible at once:
 * the location is refreshed right away instead of after the processing interval (100-150 s by
 * default), and the step returns only when the catalog serves the entity.
 */
export function createRegisterAction(options: RegisterActionOptions) {
  return createTemplateAction({
    id: REGISTER_ACTION_ID,
    description:
      'Registers a catalog-info.yaml URL in the catalog, refreshes it at once and waits (bounded) until the catalog returns its Component.',
    examples,
    supportsDryRun: true,
    schema: { input: forScaffolder(registerInput), output: forScaffolder(registerOutput) },
    async handler(ctx) {
      const { catalogInfoUrl } = parseRegisterInput(ctx.input);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        return;
      }
      const location = { type: 'url', target: catalogInfoUrl };
      const locationEntityRef = stringifyEntityRef({ kind: 'Location', name: locationSpecToMetadataName(location) });
      try {
        // The user's credentials: registering is their action and their permission.
        const credentials = await ctx.getInitiatorCredentials();
        await ctx.checkpoint({
          key: `paver.register.location.${catalogInfoUrl}`,
          fn: async () => {
            // "refresh": an identical location (a retried task) is success, and gets refreshed.
            await options.catalog.addLocation({ ...location, onConflict: 'refresh' }, { credentials });
          },
        });
        await options.catalog.refreshEntity(locationEntityRef, { credentials });
        const entityRef = await waitForEntity({
          catalog: options.catalog,
          credentials: await options.serviceCredentials(),
          originLocation: `url:${catalogInfoUrl}`,
          locationEntityRef,
          timeoutMs: options.timeoutMs ?? 30_000,
          pollIntervalMs: options.pollIntervalMs ?? 200,
          signal: ctx.signal,
        });
        ctx.logger.info(`Registered ${entityRef} from ${catalogInfoUrl}`);
        ctx.output('entityRef', entityRef);
      } catch (error) {
        throw new NotRegisteredError(catalogInfoUrl, isError(error) ? error : new Error(String(error)));
      }
    },
  });
}
