import fs from 'node:fs/promises';
import path from 'node:path';
import { CustomErrorBase } from '@backstage/errors';
import { tempDir } from './__testUtils__/mockContext';
import { GitCommandError, git, gitOptional } from './git';

describe('git', () => {
  it("ignores the host's git config: commits name Paver, whatever the host's user is", async () => {
    const host = await tempDir('paver-host-git-');
    const config = path.join(host, 'gitconfig');
    await fs.writeFile(config, '[user]\n\tname = Host User\n');
    const saved = { ...process.env };
    Object.assign(process.env, {
      GIT_CONFIG_GLOBAL: config,
      GIT_CONFIG_SYSTEM: config,
      HOME: host,
    });
    await fs.copyFile(config, path.join(host, '.gitconfig'));
    try {
      expect(await gitOptional(['config', '--get', 'user.name'])).toBe(
        undefined,
      );
      expect(await git(['var', 'GIT_AUTHOR_IDENT'])).toMatch(
        /^Paver <paver@localhost> /,
      );
    } finally {
      process.env = saved;
    }
  });

  it("fails with a GitCommandError in git's own words, never finding a repository above cwd", async () => {
    const error = await git(['rev-parse', '--git-dir'], {
      cwd: await tempDir('paver-not-a-repo-'),
    }).catch(e => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(error).toBeInstanceOf(CustomErrorBase);
    expect(error.name).toBe('GitCommandError');
    expect(error.message).toMatch(
      /^git rev-parse failed: .*not a git repository/,
    );
  });
});
