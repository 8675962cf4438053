import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  ForwardedError,
  InputError,
  assertError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AnswersInvalidError,
  TargetNotEmptyError,
  TemplateNotFoundError,
  UnsafePathError,
  loadTemplate,
  renderTemplate,
  renderToMemory,
  validateAnswers,
  type Answers,
  type LoadedTemplate,
  type PlatformSettings,
} from '@paver/golden-path';
import type { AnswerChecks } from '../../catalog/answerChecks';
import { forScaffolder } from '../parseInput';
import { examples } from './render.examples';
import { parseRenderInput, renderInput, renderOutput } from './render.schema';

export const RENDER_ACTION_ID = 'paver:render';

export interface RenderActionOptions {
  /** Absolute folder holding the golden paths. */
  templatesDir: string;
  checks: AnswerChecks;
  /** The organisation's settings templates read (`{{platform.npmRegistry}}`), per render. */
  platform: () => Promise<PlatformSettings>;
}

/**
 * `paver:render`: renders a golden path with the same engine as the CLI and the upgrade engine,
 * after checking the answers against the template and against the catalog.
 */
export function createRenderAction(options: RenderActionOptions) {
  return createTemplateAction({
    id: RENDER_ACTION_ID,
    description:
      'Renders a Paver golden path into the workspace, after validating the answers against the template and the catalog.',
    examples,
    supportsDryRun: true,
    schema: {
      input: forScaffolder(renderInput),
      output: forScaffolder(renderOutput),
    },
    async handler(ctx) {
      const input = parseRenderInput(ctx.input);
      const template = loadGoldenPath(options.templatesDir, input.template);
      const values = validate(template, input.values);
      const targetDir = input.targetPath
        ? resolveSafeChildPath(ctx.workspacePath, input.targetPath)
        : ctx.workspacePath;
      await checkAgainstCatalog(options.checks, values, key =>
        ctx.checkpoint(key),
      );

      const platform = await options.platform();
      // Rendered in memory first: a dry run lists exactly what a real run would write.
      const files = mapRenderErrors(() =>
        renderToMemory(template, values, { platform }),
      );
      const label = `${template.name}@${template.version}`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: ${label} would write ${files.size} files:\n${[
            ...files.keys(),
          ].join('\n')}`,
        );
      } else {
        // Not a checkpoint: a resumed task gets a fresh workspace, so the files must be written
        // again; the same answers give the same bytes.
        await mapRenderErrorsAsync(() =>
          renderTemplate(template, values, { targetDir, platform }),
        );
        ctx.logger.info(`Rendered ${label}: ${files.size} files`);
      }
      ctx.output('files', files.size);
      ctx.output('templateVersion', template.version);
    },
  });
}

function loadGoldenPath(templatesDir: string, name: string): LoadedTemplate {
  try {
    return loadTemplate(path.join(templatesDir, name));
  } catch (error) {
    assertError(error);
    if (error instanceof TemplateNotFoundError) {
      throw new InputError(`template: no golden path named "${name}"`);
    }
    throw new ForwardedError(`Golden path "${name}" is broken`, error);
  }
}

function validate(template: LoadedTemplate, values: unknown): Answers {
  try {
    return validateAnswers(template, values);
  } catch (error) {
    if (error instanceof AnswersInvalidError) {
      // The engine names fields "answers.x"; the step input calls them "values.x".
      const issues = error.issues.map(
        i => `${i.field.replace(/^answers\b/, 'values')}: ${i.message}`,
      );
      throw new InputError(
        `Invalid answers for ${template.name}: ${issues.join('; ')}`,
      );
    }
    throw error;
  }
}

type Checkpoint = (opts: {
  key: string;
  fn: () => Promise<void>;
}) => Promise<void>;

async function checkAgainstCatalog(
  checks: AnswerChecks,
  values: Answers,
  checkpoint: Checkpoint,
) {
  if (values.owner !== undefined)
    await checks.assertExists('values.owner', values.owner, 'Group');
  if (values.system !== undefined)
    await checks.assertExists('values.system', values.system, 'System');
  if (typeof values.name === 'string') {
    const name = values.name;
    // Checkpointed: when a resumed task renders again after its own registration, the Component
    // it created must not count as taken.
    await checkpoint({
      key: `paver.render.name-free.${name}`,
      fn: () => checks.assertComponentNameFree('values.name', name),
    });
  }
}

// An answer that renders into an unsafe file name is bad input, not a server fault.
function toBackstageError(error: unknown): unknown {
  if (error instanceof UnsafePathError) return new InputError(error.message);
  if (error instanceof TargetNotEmptyError)
    return new ConflictError(error.message);
  return error;
}

function mapRenderErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toBackstageError(error);
  }
}

async function mapRenderErrorsAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toBackstageError(error);
  }
}
