import fs from 'node:fs/promises';
import path from 'node:path';
import {
  loadTemplate,
  TargetNotEmptyError,
  validateAnswers,
} from '@paver/golden-path';
import { applySets, completeAnswers, readAnswersFile } from '../answers';
import { CliIo, step } from '../io';
import { runPaverGenerator } from '../yeoman';

/** Options of `paver new`. */
export interface NewOptions {
  templatesRoot: string;
  answers?: string;
  set: string[];
  target?: string;
  debug?: boolean;
}

/**
 * `paver new <template>`: collect answers, validate them, run the Yeoman generator into a staging
 * folder, then rename it into place, so a failure never leaves a half-written service.
 */
export async function newService(
  templateName: string,
  options: NewOptions,
  io: CliIo,
): Promise<void> {
  const template = loadTemplate(
    path.resolve(options.templatesRoot, templateName),
  );
  step(io, `loaded template ${template.name}@${template.version}`);
  const fromFile = options.answers
    ? readAnswersFile(path.resolve(io.cwd, options.answers))
    : {};
  const answers = await completeAnswers(
    template,
    applySets(template, fromFile, options.set),
    io,
  );
  const values = validateAnswers(template, answers);
  step(io, 'validated answers');

  const target = path.resolve(
    io.cwd,
    options.target ?? String(values.name ?? template.name),
  );
  const targetExists = await assertEmptyOrMissing(target);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const staging = await fs.mkdtemp(
    path.join(path.dirname(target), `.${path.basename(target)}.paver-`),
  );
  try {
    await runPaverGenerator({
      templatesRoot: options.templatesRoot,
      template: templateName,
      answers,
      destination: staging,
      verbose: options.debug,
      onProgress: e =>
        e.step === 'rendered' && step(io, `rendered ${e.fileCount} files`),
    });
    await fs.chmod(staging, 0o755);
    if (targetExists) await fs.rmdir(target);
    await fs.rename(staging, target);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
  step(io, `wrote ${displayPath(io.cwd, target)}`);
}

async function assertEmptyOrMissing(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (entries === undefined) return false;
  if (entries.length > 0)
    throw new TargetNotEmptyError(`target ${dir} exists and is not empty`);
  return true;
}

function displayPath(cwd: string, target: string): string {
  const rel = path.relative(cwd, target);
  return rel.startsWith('..') || path.isAbsolute(rel) ? target : `./${rel}`;
}
