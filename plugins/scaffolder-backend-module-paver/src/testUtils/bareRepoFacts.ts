import { git, gitOptional } from '../git';

/** The task marker and the commits on `main` of a bare repository. */
export async function bareRepoFacts(
  bare: string,
): Promise<{ marker?: string; commits: string[] }> {
  const marker = await gitOptional([
    '--git-dir',
    bare,
    'config',
    '--get',
    'paver.taskid',
  ]);
  const head = await gitOptional([
    '--git-dir',
    bare,
    'rev-parse',
    '--verify',
    '--quiet',
    'refs/heads/main',
  ]);
  const commits = head
    ? (await git(['--git-dir', bare, 'rev-list', '--all']))
        .split('\n')
        .filter(Boolean)
    : [];
  return { marker, commits };
}
