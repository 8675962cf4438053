import path from 'node:path';
import {
  loadTemplate,
  readServiceRecord,
  TemplateReleases,
  upgradeService,
  validateAnswers,
  type FileOutcome,
  type LoadedTemplate,
  type PlatformSettings,
  type UpgradeResult,
} from '@paver/golden-path';
import { applySets, completeAnswers } from '../answers';
import { UsageError } from '../errors';
import { CliIo, step } from '../io';

/** Options of `paver upgrade`. */
export interface UpgradeOptions {
  /** The service repository (default: the current folder). */
  repo?: string;
  /** A released version to move to (default: the newest release). */
  to?: string;
  /** Move to this template folder instead of a release: for a golden path not released yet. */
  templateDir?: string;
  /** The templates folder of a git repository whose tags are the releases. */
  templatesRoot: string;
  set: string[];
  dryRun?: boolean;
  /** Settings given by option or environment; they replace the recorded ones in the new render. */
  givenPlatform: Partial<PlatformSettings>;
  /** Every setting, defaults filled: for services made before Paver recorded them. */
  platform: PlatformSettings;
}

/**
 * `paver upgrade`: moves the service in the current folder to a newer version of its golden
 * path with a three-way merge per file, then prints what happened to each file.
 */
export async function upgrade(
  options: UpgradeOptions,
  io: CliIo,
): Promise<UpgradeResult> {
  if (options.to && options.templateDir) {
    throw new UsageError('give --to or --template-dir, not both');
  }
  const repoDir = path.resolve(io.cwd, options.repo ?? '.');
  const record = await readServiceRecord(repoDir);
  const releases = new TemplateReleases({
    repoDir: path.dirname(path.resolve(options.templatesRoot)),
    templatesPath: path.basename(options.templatesRoot),
  });
  const base = await releases.load(record.template, record.version);
  const target = await targetTemplate(
    options,
    releases,
    record.template,
    io.cwd,
  );
  step(io, `${record.template} ${record.version} → ${target.version}`);
  const answers = validateAnswers(
    target,
    await completeAnswers(
      target,
      applySets(target, record.answers, options.set),
      io,
    ),
  );
  const result = await upgradeService({
    repoDir,
    record,
    base,
    target,
    answers,
    platform: record.platform
      ? { ...record.platform, ...options.givenPlatform }
      : options.platform,
    dryRun: options.dryRun,
    onProgress: message => step(io, message),
  });
  printSummary(result, io);
  return result;
}

async function targetTemplate(
  options: UpgradeOptions,
  releases: TemplateReleases,
  name: string,
  cwd: string,
): Promise<LoadedTemplate> {
  if (options.templateDir)
    return loadTemplate(path.resolve(cwd, options.templateDir));
  const version = options.to ?? (await releases.versions(name)).at(-1);
  if (!version) throw new UsageError(`${name} has no releases to upgrade to`);
  return releases.load(name, version);
}

const LETTERS: Record<FileOutcome['kind'], string> = {
  updated: 'U',
  added: 'A',
  deleted: 'D',
  merged: 'M',
  renamed: 'R',
  conflict: 'C',
};

const REASONS = {
  'both-changed': 'you and the template changed the same lines',
  'added-in-both': 'you and the template both added it',
  'deleted-by-template': 'the template deleted it; kept yours',
  'deleted-by-you': 'you deleted it; the template changed it; not restored',
  binary: 'binary, changed on both sides; kept yours',
};

function printSummary(result: UpgradeResult, io: CliIo) {
  for (const outcome of result.outcomes) {
    const name =
      'from' in outcome && outcome.from
        ? `${outcome.from} → ${outcome.path}`
        : outcome.path;
    const note =
      outcome.kind === 'conflict'
        ? `conflict: ${REASONS[outcome.reason]}${
            outcome.markers ? ` (${outcome.markers} marked)` : ''
          }`
        : outcome.kind;
    io.stdout.write(`  ${LETTERS[outcome.kind]} ${name}  ${note}\n`);
  }
  const verb = result.written
    ? 'upgraded'
    : 'would upgrade (dry run, nothing written)';
  io.stdout.write(
    `${verb} ${result.from} → ${result.to}: ${result.outcomes.length} files changed, ${result.conflicts.length} conflicts\n`,
  );
  if (result.written && result.conflicts.length > 0) {
    io.stdout.write(
      'resolve the conflicts marked above, run the tests, then commit\n',
    );
  }
}
