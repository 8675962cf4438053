import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A rendered workspace with one commit on `branch`, as the render step leaves it. */
export function makeSourceRepo(
  files: Record<string, string> = { 'README.md': '# service\n' },
  branch = 'main',
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-source-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '--quiet', `--initial-branch=${branch}`);
  git('add', '--all');
  git(
    '-c',
    'user.name=Paver',
    '-c',
    'user.email=paver@example.com',
    'commit',
    '--quiet',
    '-m',
    'Initial commit',
  );
  return dir;
}
