import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  listTemplates,
  loadTemplate,
  readServiceRecord,
  renderTemplate,
  TemplateReleases,
  upgradeService,
  validateAnswers,
  LoadedTemplate,
  type PlatformSettings,
} from '@paver/golden-path';
import { readAnswersFile } from '../answers';
import { CommandFailedError, UsageError } from '../errors';
import { CliIo, step } from '../io';
import { runCommand } from '../runCommand';

/** What `paver template test` runs in each rendered service, in order. */
export const TEMPLATE_TEST_STEPS: readonly (readonly string[])[] = [
  ['npm', 'install', '--no-audit', '--no-fund'],
  ['npm', 'run', 'build'],
  ['npm', 'test'],
];

/**
 * `paver template test [names...]`: renders each template with its fixtures/answers.yaml into a
 * temp folder and runs install, build and test there, streaming their output. Then the upgrade
 * path: the release before the working copy, rendered with its fixtures and committed, is moved
 * to the working copy with `paver upgrade`'s engine (an unedited service must merge without a
 * conflict) and the same steps run in the upgraded service.
 */
export async function templateTest(
  templatesRoot: string,
  names: string[],
  platform: PlatformSettings,
  io: CliIo,
): Promise<void> {
  const templates =
    names.length > 0
      ? names.map(n => loadTemplate(path.join(templatesRoot, n)))
      : listTemplates(templatesRoot).filter(t => fs.existsSync(fixturePath(t)));
  if (templates.length === 0)
    throw new UsageError(
      `no template with fixtures/answers.yaml in ${templatesRoot}`,
    );
  const releases = new TemplateReleases({
    repoDir: path.dirname(path.resolve(templatesRoot)),
    templatesPath: path.basename(templatesRoot),
  });
  for (const template of templates) {
    await testOne(template, platform, io);
    await testUpgradePath(template, releases, platform, io);
  }
}

async function testOne(
  template: LoadedTemplate,
  platform: PlatformSettings,
  io: CliIo,
): Promise<void> {
  const label = `${template.name}@${template.version}`;
  const fixture = fixturePath(template);
  if (!fs.existsSync(fixture))
    throw new UsageError(`${template.name}: ${fixture} is missing`);
  const { workDir, targetDir } = await renderInto(template, fixture, platform);
  step(io, `${label}: rendered into ${targetDir}`);
  await runSteps(template.name, targetDir, io);
  fs.rmSync(workDir, { recursive: true, force: true });
}

async function testUpgradePath(
  template: LoadedTemplate,
  releases: TemplateReleases,
  platform: PlatformSettings,
  io: CliIo,
): Promise<void> {
  let previous: string | undefined;
  try {
    previous = await releases.previous(template.name, template.version);
  } catch (error) {
    // A templates folder outside git (a scratch copy) has no releases to upgrade from.
    const reason = String((error as Error).message).split('\n')[0];
    step(
      io,
      `${template.name}: no releases readable (${reason}), so no upgrade path to test`,
    );
    return;
  }
  if (!previous) {
    step(
      io,
      `${template.name}: no release before ${template.version}, so no upgrade path to test`,
    );
    return;
  }
  const base = await releases.load(template.name, previous);
  const label = `${template.name} ${previous} → ${template.version}`;
  const { workDir, targetDir } = await renderInto(
    base,
    fixturePath(base),
    platform,
  );
  commitAll(targetDir);
  const record = await readServiceRecord(targetDir);
  const result = await upgradeService({
    repoDir: targetDir,
    record,
    base,
    target: template,
    answers: validateAnswers(template, record.answers),
    platform,
  });
  if (result.conflicts.length > 0) {
    throw new CommandFailedError(
      `${label}: an unedited service does not upgrade cleanly; conflicts in ${result.conflicts
        .map(c => c.path)
        .join(', ')} (kept in ${targetDir})`,
    );
  }
  step(
    io,
    `${label}: upgraded in ${targetDir} (${result.outcomes.length} files changed)`,
  );
  await runSteps(`${template.name} (upgraded from ${previous})`, targetDir, io);
  fs.rmSync(workDir, { recursive: true, force: true });
}

async function renderInto(
  template: LoadedTemplate,
  fixture: string,
  platform: PlatformSettings,
) {
  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `paver-test-${template.name}-`),
  );
  const targetDir = path.join(workDir, template.name);
  await renderTemplate(template, readAnswersFile(fixture), {
    targetDir,
    platform,
  });
  return { workDir, targetDir };
}

async function runSteps(label: string, targetDir: string, io: CliIo) {
  for (const command of TEMPLATE_TEST_STEPS) {
    io.stdout.write(`\n▶ ${label}: ${command.join(' ')}\n`);
    const code = await runCommand(command, targetDir, io);
    if (code !== 0) {
      throw new CommandFailedError(
        `${label}: "${command.join(
          ' ',
        )}" failed with exit code ${code} (kept in ${targetDir})`,
      );
    }
    step(io, `${label}: ${command.join(' ')}`);
  }
}

// The upgrade needs a clean repository, as a service's own would be after creation.
function commitAll(dir: string) {
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=paver', '-c', 'user.email=paver@localhost', ...args],
      { cwd: dir },
    );
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'rendered');
}

function fixturePath(template: LoadedTemplate): string {
  return path.join(template.dir, 'fixtures', 'answers.yaml');
}
