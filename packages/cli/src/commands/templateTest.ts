import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  listTemplates,
  loadTemplate,
  renderTemplate,
  LoadedTemplate,
  type PlatformSettings,
} from '@paver/golden-path';
import { readAnswersFile } from '../answers';
import { CommandFailedError, UsageError } from '../errors';
import { CliIo, step } from '../io';

/** What `paver template test` runs in each rendered service, in order. */
export const TEMPLATE_TEST_STEPS: readonly (readonly string[])[] = [
  ['npm', 'install', '--no-audit', '--no-fund'],
  ['npm', 'run', 'build'],
  ['npm', 'test'],
];

/**
 * `paver template test [names...]`: renders each template with its fixtures/answers.yaml into a
 * temp folder and runs install, build and test there, streaming their output.
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
  for (const template of templates) await testOne(template, platform, io);
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
  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `paver-test-${template.name}-`),
  );
  const targetDir = path.join(workDir, template.name);
  await renderTemplate(template, readAnswersFile(fixture), {
    targetDir,
    platform,
  });
  step(io, `${label}: rendered into ${targetDir}`);
  for (const command of TEMPLATE_TEST_STEPS) {
    io.stdout.write(`\n▶ ${template.name}: ${command.join(' ')}\n`);
    const code = await run(command, targetDir, io);
    if (code !== 0) {
      throw new CommandFailedError(
        `${template.name}: "${command.join(
          ' ',
        )}" failed with exit code ${code} (kept in ${targetDir})`,
      );
    }
    step(io, `${template.name}: ${command.join(' ')}`);
  }
  fs.rmSync(workDir, { recursive: true, force: true });
}

function fixturePath(template: LoadedTemplate): string {
  return path.join(template.dir, 'fixtures', 'answers.yaml');
}

function run(
  command: readonly string[],
  cwd: string,
  io: CliIo,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(io.stdout, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    child.on('error', reject);
    child.on('close', code => resolve(code ?? 1));
  });
}
