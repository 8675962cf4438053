import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeSourceRepo } from '@paver/test-utils';
import { InputError } from '@backstage/errors';
import { ensureCommit } from './ensureCommit';

describe('ensureCommit', () => {
  const dirs: string[] = [];
  afterEach(() =>
    dirs.splice(0).forEach(d => fs.rmSync(d, { recursive: true, force: true })),
  );

  it('keeps the commit of a workspace that has one', async () => {
    const dir = makeSourceRepo();
    dirs.push(dir);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir })
      .toString()
      .trim();

    expect(await ensureCommit(dir, 'main')).toBe(head);
  });

  it('commits a workspace inside another checkout on its own, never adopting the outer repository', async () => {
    const outer = makeSourceRepo({ 'outer.txt': 'outer\n' });
    dirs.push(outer);
    const workspace = path.join(outer, 'workspace');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'service.txt'), 'service\n');
    const outerHead = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: outer })
      .toString()
      .trim();

    const commit = await ensureCommit(workspace, 'main');

    expect(commit).not.toBe(outerHead);
    const files = execFileSync('git', ['ls-tree', '--name-only', 'HEAD'], {
      cwd: workspace,
    }).toString();
    expect(files.trim().split('\n')).toEqual(['service.txt']);
  });

  it('commits an empty workspace too, so a publish never fails for lack of a commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-empty-'));
    dirs.push(dir);

    expect(await ensureCommit(dir, 'trunk')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('refuses a workspace that does not exist with InputError', async () => {
    await expect(
      ensureCommit('/nonexistent/paver-workspace', 'main'),
    ).rejects.toBeInstanceOf(InputError);
  });
});
