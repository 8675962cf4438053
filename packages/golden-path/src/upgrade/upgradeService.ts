import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import type { Answers } from '../answers';
import { UpgradeError } from '../errors';
import type { PlatformSettings } from '../handlebars';
import { resolveSafeChildPath } from '../paths';
import { parseServiceRecord, type ServiceRecord } from '../record';
import { releaseTag } from '../releases';
import { ANSWERS_FILE, renderToMemory } from '../render';
import type { LoadedTemplate } from '../template';
import { loadMigrations, type ImportModule } from './migrations';
import { mergeTrees, type FileOutcome, type FileWrite } from './mergeTrees';

const run = promisify(execFile);

/** Reads `.paver/answers.yaml` of a service repository. */
export async function readServiceRecord(
  repoDir: string,
): Promise<ServiceRecord> {
  const file = path.join(repoDir, ANSWERS_FILE);
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new UpgradeError(
      `${file} does not exist: this folder was not made by Paver, or not at its root`,
    );
  });
  return parseServiceRecord(text, ANSWERS_FILE);
}

/** Options for {@link upgradeService}. */
export interface UpgradeServiceOptions {
  repoDir: string;
  record: ServiceRecord;
  /** The release the service records, loaded (the merge base). */
  base: LoadedTemplate;
  /** The version to move to: a release, or the working copy of the template. */
  target: LoadedTemplate;
  /** The answers the target renders with: the recorded ones, plus new questions answered. */
  answers: Answers;
  /**
   * The organisation's settings today, for the new render (default: the recorded ones). The base
   * renders with the recorded settings, so a setting that changed (a registry moved) arrives as
   * the template's change and merges like one. For services that recorded none, both use these.
   */
  platform?: PlatformSettings;
  /** Plan and report; write nothing and run no migration. */
  dryRun?: boolean;
  importModule?: ImportModule;
  onProgress?: (message: string) => void;
}

/** What {@link upgradeService} did (or, dry, would do). */
export interface UpgradeResult {
  from: string;
  to: string;
  outcomes: FileOutcome[];
  conflicts: Extract<FileOutcome, { kind: 'conflict' }>[];
  migrations: string[];
  written: boolean;
}

/**
 * Moves a service to a new version of its golden path: renders the recorded release with the
 * recorded answers (base) and the target with the same answers (theirs), merges each file with
 * the repository (ours), runs the migration steps between the versions, and writes the answers
 * file last, so an upgrade cut short is visibly not done.
 */
export async function upgradeService(
  options: UpgradeServiceOptions,
): Promise<UpgradeResult> {
  const { record, base, target, repoDir } = options;
  assertUpgradable(options);
  if (!options.dryRun) await assertClean(repoDir);
  const progress = options.onProgress ?? (() => {});
  const context = {
    repoDir,
    from: record.version,
    to: target.version,
    answers: { ...options.answers },
  };
  const migrations = await loadMigrations(
    target.dir,
    record.version,
    target.version,
    options.importModule ?? (file => import(file)),
  );
  if (!options.dryRun) {
    for (const step of migrations) {
      progress(`migration ${step.version}: before`);
      await step.migration.before?.(context);
    }
  }
  const baseFiles = renderToMemory(base, record.answers, {
    platform: record.platform ?? options.platform,
  });
  const theirsFiles = renderToMemory(target, context.answers, {
    platform: options.platform ?? record.platform,
  });
  const answersFile = theirsFiles.get(ANSWERS_FILE)!;
  baseFiles.delete(ANSWERS_FILE);
  theirsFiles.delete(ANSWERS_FILE);
  progress(
    `rendered ${releaseTag(base.name, base.version)} and ${releaseTag(
      target.name,
      target.version,
    )}`,
  );
  const plan = await mergeTrees({
    base: baseFiles,
    theirs: theirsFiles,
    readOurs: p => readRepoFile(repoDir, p),
    labels: {
      ours: 'yours',
      base: releaseTag(base.name, base.version),
      theirs: releaseTag(target.name, target.version),
    },
  });
  progress(`merged ${plan.outcomes.length} changed files`);
  if (!options.dryRun) {
    await applyWrites(repoDir, plan.writes);
    for (const step of migrations) {
      progress(`migration ${step.version}: after`);
      await step.migration.after?.(context);
    }
    await fs.writeFile(path.join(repoDir, ANSWERS_FILE), answersFile);
  }
  return {
    from: record.version,
    to: target.version,
    outcomes: plan.outcomes,
    conflicts: plan.outcomes.filter(
      (o): o is Extract<FileOutcome, { kind: 'conflict' }> =>
        o.kind === 'conflict',
    ),
    migrations: migrations.map(m => m.version),
    written: !options.dryRun,
  };
}

function assertUpgradable({ record, base, target }: UpgradeServiceOptions) {
  if (target.name !== record.template || base.name !== record.template) {
    throw new UpgradeError(
      `this service was made from ${record.template}, not ${target.name}`,
    );
  }
  if (record.digest && base.digest !== record.digest) {
    throw new UpgradeError(
      `${releaseTag(
        base.name,
        base.version,
      )} is not the source this service was made from (digest ${
        base.digest
      }, the service recorded ${
        record.digest
      }); the release was changed after it was made`,
    );
  }
  if (!semver.gt(target.version, record.version)) {
    throw new UpgradeError(
      `this service is on ${record.template}@${record.version}; ${target.version} is not newer`,
    );
  }
}

async function assertClean(repoDir: string) {
  const { stdout } = await run('git', ['status', '--porcelain'], {
    cwd: repoDir,
  }).catch((error: unknown) => {
    throw new UpgradeError(
      `${repoDir} is not a git repository: ${String(error)}`,
    );
  });
  if (stdout.trim() !== '') {
    throw new UpgradeError(
      `${repoDir} has uncommitted changes; commit or stash them first, so the upgrade is one reviewable change`,
    );
  }
}

async function readRepoFile(repoDir: string, rel: string) {
  const full = resolveSafeChildPath(repoDir, rel);
  try {
    const stat = await fs.lstat(full);
    if (!stat.isFile()) return undefined;
    return { content: await fs.readFile(full), mode: stat.mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function applyWrites(repoDir: string, writes: FileWrite[]) {
  for (const write of writes) {
    const full = resolveSafeChildPath(repoDir, write.path);
    if (write.content === null) {
      await fs.rm(full, { force: true });
      continue;
    }
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, write.content);
    if (write.mode !== undefined) await fs.chmod(full, write.mode);
  }
}
