import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from './tempDirs';

/**
 * One release of a template: its files below `templates/<name>/`, tagged `<name>@<version>` and
 * recorded in `templates/releases.yaml`.
 */
export interface TemplateRelease {
  version: string;
  /** Paths below the template folder; `null` deletes a file the previous release had. */
  files: Record<string, string | null>;
}

/** Runs git in `cwd` with a fixed identity, as the scaffolder's commits have one. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Paver tests',
      '-c',
      'user.email=tests@example.org',
      ...args,
    ],
    { cwd, encoding: 'utf8' },
  );
}

/**
 * A git repository whose `templates/<name>` goes through the given releases, the way
 * `paver template release` leaves this repository: per release a commit, its `<name>@<version>`
 * tag, and a commit recording it in `templates/releases.yaml`. Returns the templates folder.
 */
export function makeTemplateRepo(
  name: string,
  releases: readonly TemplateRelease[],
): string {
  const repo = tempDirSync('paver-template-repo-');
  gitIn(repo, 'init', '-q');
  // The engineer's identity, for commands under test that commit (paver template release).
  gitIn(repo, 'config', 'user.name', 'Paver tests');
  gitIn(repo, 'config', 'user.email', 'tests@example.org');
  const recorded: string[] = [];
  for (const release of releases) {
    for (const [rel, text] of Object.entries(release.files)) {
      const file = path.join(repo, 'templates', name, rel);
      if (text === null) {
        fs.rmSync(file);
        continue;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', `${name} ${release.version}`);
    gitIn(repo, 'tag', `${name}@${release.version}`);
    const commit = gitIn(repo, 'rev-parse', 'HEAD').trim();
    recorded.push(`  ${release.version}: ${commit}`);
    fs.writeFileSync(
      path.join(repo, 'templates', 'releases.yaml'),
      textLines(`${name}:`, ...recorded),
    );
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', `Release ${name}@${release.version}`);
  }
  return path.join(repo, 'templates');
}

/**
 * The smallest template.yaml a release fixture needs: a required `name` question, plus any
 * `extraProperties` (YAML lines indented under `properties:`).
 */
export function templateYaml(
  name: string,
  version: string,
  extraProperties = '',
): string {
  return `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${name}
  annotations:
    paver.dev/template-version: '${version}'
spec:
  parameters:
    - required: [name]
      properties:
        name: { type: string }
${extraProperties}`;
}

/** Text of the given lines, each ending in a newline, as files in fixtures are. */
export const textLines = (...lines: string[]): string =>
  `${lines.join('\n')}\n`;
