import path from 'node:path';
import {
  loadTemplate,
  TemplateReleases,
  validateAnswers,
  writeIntoPlace,
  type PlatformSettings,
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
  /** A released version to create from (`<template>@<version>` tag) instead of the working copy. */
  version?: string;
  /** The organisation's settings the template reads (registry, dashboard link). */
  platform: PlatformSettings;
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
  const templatesRoot = await templatesRootOf(templateName, options);
  const template = loadTemplate(path.resolve(templatesRoot, templateName));
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
  await writeIntoPlace(target, staging =>
    runPaverGenerator({
      templatesRoot,
      template: templateName,
      answers,
      platform: options.platform,
      destination: staging,
      verbose: options.debug,
      onProgress: e =>
        e.step === 'rendered' && step(io, `rendered ${e.fileCount} files`),
    }),
  );
  step(io, `wrote ${displayPath(io.cwd, target)}`);
}

/** The working copy's templates folder, or the extracted release's when `--version` names one. */
async function templatesRootOf(name: string, options: NewOptions) {
  if (!options.version) return options.templatesRoot;
  const root = path.resolve(options.templatesRoot);
  const releases = new TemplateReleases({
    repoDir: path.dirname(root),
    templatesPath: path.basename(root),
  });
  const release = await releases.load(name, options.version);
  return path.dirname(release.dir);
}

function displayPath(cwd: string, target: string): string {
  const rel = path.relative(cwd, target);
  return rel.startsWith('..') || path.isAbsolute(rel) ? target : `./${rel}`;
}
