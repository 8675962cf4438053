import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CustomErrorBase, isError } from '@backstage/errors';
import {
  locationSpecToMetadataName,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { forScaffolder } from '../parseInput';
import { examples } from './register.examples';
import {
  parseRegisterInput,
  registerInput,
  registerOutput,
} from './register.schema';
import { expectedEntityRef } from './expectedEntity';
import type { RefreshSearchIndex } from '../../search/searchIndexRefresher';
import type { Prioritize } from './catalogPrioritizer';
import { StillProcessingError, waitForEntity } from './waitForEntity';

export const REGISTER_ACTION_ID = 'paver:catalog:register';

/** Publishing worked and registration did not; retrying the task registers it. */
export class NotRegisteredError extends CustomErrorBase {
  name = 'NotRegisteredError' as const;
  declare readonly cause: Error;

  constructor(url: string, cause: Error) {
    // The reason reads as part of the sentence the task log shows, not as CustomErrorBase's
    // "; caused by <name>: ..." suffix, so the cause is kept beside the message.
    super(`published to ${url}, not registered: ${cause.message}`);
    this.cause = cause;
  }
}

export interface RegisterActionOptions {
  catalog: Pick<
    CatalogService,
    'addLocation' | 'refreshEntity' | 'getEntities' | 'getEntityByRef'
  >;
  /** The module's own credentials, for reading back what was registered. */
  serviceCredentials: () => Promise<BackstageCredentials>;
  /** @default 30000 */
  timeoutMs?: number;
  /**
   * Each poll is one indexed catalog query and, while a stage is pending, one prioritize call;
   * the catalog moves a prioritized row within ~50 ms, so a slower poll is what the user waits on.
   * @default 50
   */
  pollIntervalMs?: number;
  /**
   * Moves refresh_state (then stitch_queue) rows to the front of the catalog's queues (the catalog
   * module `@paver/plugin-catalog-backend-module-paver`). Without it, or when it fails, the location is
   * refreshed with `refreshEntity`, which only sets next_update_at = now (behind any backlog).
   */
  prioritize?: Prioritize;
  /** Asks search to index the catalog once the entity is served, so portal search finds it. */
  refreshSearch?: RefreshSearchIndex;
}

/**
 * `paver:catalog:register`: registers a `url` location and makes the new entity visible at once:
 * the location (and, once the location has emitted it, the entity; once that is processed, its
 * stitch) is moved to the front of the catalog's processing (stitching) queue when a prioritizer
 * is configured, else the location is refreshed right away; the step returns when the catalog serves the entity. If the bound passes with no
 * processing error reported (the catalog is working through a backlog), the step still succeeds,
 * with a warning and the entity ref the published file declares: the location is registered.
 */
export function createRegisterAction(options: RegisterActionOptions) {
  return createTemplateAction({
    id: REGISTER_ACTION_ID,
    description:
      'Registers a catalog-info.yaml URL in the catalog, refreshes it at once and waits (bounded) until the catalog returns its Component.',
    examples,
    supportsDryRun: true,
    schema: {
      input: forScaffolder(registerInput),
      output: forScaffolder(registerOutput),
    },
    async handler(ctx) {
      const { catalogInfoUrl } = parseRegisterInput(ctx.input);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        return;
      }
      const location = { type: 'url', target: catalogInfoUrl };
      const locationEntityRef = stringifyEntityRef({
        kind: 'Location',
        name: locationSpecToMetadataName(location),
      });
      // What the published file declares (from the workspace): lets the step prioritize the
      // entity's own row and name it when the catalog is still busy.
      const expected = await expectedEntityRef(
        ctx.workspacePath,
        catalogInfoUrl,
      );
      const notRegistered = (error: unknown) =>
        new NotRegisteredError(
          catalogInfoUrl,
          isError(error) ? error : new Error(String(error)),
        );
      let entityRef: string;
      try {
        // The user's credentials: registering is their action and their permission.
        const credentials = await ctx.getInitiatorCredentials();
        await ctx.checkpoint({
          key: `paver.register.location.${catalogInfoUrl}`,
          fn: async () => {
            // "refresh": an identical location (a retried task) is success, and gets refreshed.
            await options.catalog.addLocation(
              { ...location, onConflict: 'refresh' },
              { credentials },
            );
          },
        });
        const onPoll = await jumpTheQueue({
          prioritize: options.prioritize,
          refresh: () =>
            options.catalog.refreshEntity(locationEntityRef, { credentials }),
          locationEntityRef,
          expected,
          warn: message => ctx.logger.warn(message),
        });
        entityRef = await waitForEntity({
          catalog: options.catalog,
          credentials: await options.serviceCredentials(),
          originLocation: `url:${catalogInfoUrl}`,
          locationEntityRef,
          expectedEntityRef: expected,
          timeoutMs: options.timeoutMs ?? 30_000,
          pollIntervalMs: options.pollIntervalMs ?? 50,
          signal: ctx.signal,
          onPoll,
        });
      } catch (error) {
        // Registered, no processing error, just not processed yet: the catalog has a backlog and
        // will serve the entity by itself; failing here would report a create that worked.
        if (error instanceof StillProcessingError && expected) {
          ctx.logger.warn(
            `registered; the catalog is still processing a backlog — ${expected} will appear shortly`,
          );
          ctx.output('entityRef', expected);
          return;
        }
        throw notRegistered(error);
      }
      ctx.logger.info(`Registered ${entityRef} from ${catalogInfoUrl}`);
      options.refreshSearch?.();
      ctx.output('entityRef', entityRef);
    },
  });
}

/**
 * Puts the new location at the front of the processing queue, and returns what to do before each
 * poll: until the location has emitted the entity (its refresh_state row exists), prioritize that
 * row as well; once the entity has been processed, move its stitch_queue row to the front too (a
 * processed entity is only served after it is stitched, and in a backlog the stitch queue holds
 * hundreds of fill entities). Only this task's two refs are ever named. Without a prioritizer, or
 * if it fails, falls back to `refreshEntity` on the location (next_update_at = now, as
 * registration does).
 */
async function jumpTheQueue(options: {
  prioritize?: Prioritize;
  refresh: () => Promise<void>;
  locationEntityRef: string;
  expected?: string;
  warn: (message: string) => void;
}): Promise<(() => Promise<void>) | undefined> {
  const { prioritize, expected, locationEntityRef } = options;
  if (!prioritize) {
    await options.refresh();
    return undefined;
  }
  const includes = (refs: string[], ref: string) =>
    refs.some(
      r => r.toLocaleLowerCase('en-US') === ref.toLocaleLowerCase('en-US'),
    );
  let stage: 'processing' | 'stitching' | 'done' = expected
    ? 'processing'
    : 'done';
  try {
    const done = await prioritize(
      expected ? [locationEntityRef, expected] : [locationEntityRef],
    );
    if (!includes(done, locationEntityRef)) await options.refresh();
    if (expected && includes(done, expected)) stage = 'stitching';
  } catch (error) {
    options.warn(
      `could not prioritize ${locationEntityRef} (${
        isError(error) ? error.message : String(error)
      }); refreshing it instead`,
    );
    await options.refresh();
    return undefined;
  }
  if (stage === 'done' || !expected) return undefined;
  return async () => {
    if (stage === 'done') return;
    const queue = stage;
    try {
      if (includes(await prioritize([expected], queue), expected))
        stage = queue === 'processing' ? 'stitching' : 'done';
    } catch (error) {
      stage = 'done';
      options.warn(
        `could not prioritize ${expected} (${queue}): ${
          isError(error) ? error.message : String(error)
        }`,
      );
    }
  };
}
