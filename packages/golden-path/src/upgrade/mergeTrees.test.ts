import { mergeTrees, type RepoFile } from './mergeTrees';

const labels = { ours: 'yours', base: 'demo@1.0.0', theirs: 'demo@2.0.0' };
const files = (entries: Record<string, string | Buffer>) =>
  new Map(
    Object.entries(entries).map(([p, c]) => [
      p,
      Buffer.isBuffer(c) ? c : Buffer.from(c),
    ]),
  );
const repo = (entries: Record<string, string | Buffer | RepoFile>) => {
  const map = new Map<string, RepoFile>(
    Object.entries(entries).map(([p, c]) => [
      p,
      typeof c === 'string' || Buffer.isBuffer(c)
        ? { content: Buffer.from(c), mode: 0o644 }
        : c,
    ]),
  );
  return async (p: string) => map.get(p);
};
const lines = (...l: string[]) => `${l.join('\n')}\n`;
const write = (plan: Awaited<ReturnType<typeof mergeTrees>>, p: string) =>
  plan.writes.find(w => w.path === p);

describe('mergeTrees', () => {
  it('keeps edits on both sides that touch different lines', async () => {
    const plan = await mergeTrees({
      base: files({ 'a.ts': lines('one', 'two', 'three', 'four', 'five') }),
      theirs: files({ 'a.ts': lines('ONE', 'two', 'three', 'four', 'five') }),
      readOurs: repo({ 'a.ts': lines('one', 'two', 'three', 'four', 'FIVE') }),
      labels,
    });
    expect(plan.outcomes).toEqual([{ path: 'a.ts', kind: 'merged' }]);
    expect(write(plan, 'a.ts')?.content?.toString()).toBe(
      lines('ONE', 'two', 'three', 'four', 'FIVE'),
    );
  });

  it('marks lines both sides changed, labelled, and counts the regions', async () => {
    const plan = await mergeTrees({
      base: files({ 'a.ts': lines('port = 3000') }),
      theirs: files({ 'a.ts': lines('port = 8080') }),
      readOurs: repo({ 'a.ts': lines('port = 4000') }),
      labels,
    });
    expect(plan.outcomes).toEqual([
      { path: 'a.ts', kind: 'conflict', reason: 'both-changed', markers: 1 },
    ]);
    expect(write(plan, 'a.ts')?.content?.toString()).toBe(
      lines(
        '<<<<<<< yours',
        'port = 4000',
        '=======',
        'port = 8080',
        '>>>>>>> demo@2.0.0',
      ),
    );
  });

  it("takes the template's change where only the template changed, and keeps yours where only you did", async () => {
    const plan = await mergeTrees({
      base: files({ 'theirs.ts': 'old', 'ours.ts': 'old' }),
      theirs: files({ 'theirs.ts': 'new', 'ours.ts': 'old' }),
      readOurs: repo({ 'theirs.ts': 'old', 'ours.ts': 'edited' }),
      labels,
    });
    expect(plan.outcomes).toEqual([{ path: 'theirs.ts', kind: 'updated' }]);
    expect(plan.writes).toEqual([
      { path: 'theirs.ts', content: Buffer.from('new') },
    ]);
  });

  it('adds a new template file, deletes a removed one you kept as it was, and leaves your own files alone', async () => {
    const plan = await mergeTrees({
      base: files({ 'gone.ts': 'x' }),
      theirs: files({ 'new.ts': 'fresh content with nothing in common' }),
      readOurs: repo({ 'gone.ts': 'x', 'team.ts': 'ours only' }),
      labels,
    });
    expect(plan.outcomes).toEqual([
      { path: 'gone.ts', kind: 'deleted' },
      { path: 'new.ts', kind: 'added' },
    ]);
    expect(write(plan, 'gone.ts')?.content).toBeNull();
    expect(write(plan, 'team.ts')).toBeUndefined();
  });

  it('keeps a file you changed that the template deleted, as a conflict', async () => {
    const plan = await mergeTrees({
      base: files({ 'old.ts': 'base' }),
      theirs: files({}),
      readOurs: repo({ 'old.ts': 'base plus your edit' }),
      labels,
    });
    expect(plan.outcomes).toEqual([
      {
        path: 'old.ts',
        kind: 'conflict',
        reason: 'deleted-by-template',
        markers: 0,
      },
    ]);
    expect(plan.writes).toEqual([]);
  });

  it('does not bring back a file you deleted that the template changed, and says so', async () => {
    const plan = await mergeTrees({
      base: files({ 'x.ts': 'base' }),
      theirs: files({ 'x.ts': 'changed' }),
      readOurs: repo({}),
      labels,
    });
    expect(plan.outcomes).toEqual([
      { path: 'x.ts', kind: 'conflict', reason: 'deleted-by-you', markers: 0 },
    ]);
    expect(plan.writes).toEqual([]);
  });

  it('moves a renamed file with your edits merged into it', async () => {
    const body = (first: string) =>
      lines(first, 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const plan = await mergeTrees({
      base: files({ 'src/platform/db.ts': body('a') }),
      theirs: files({ 'src/db.ts': body('a').replace('h\n', 'H\n') }),
      readOurs: repo({
        'src/platform/db.ts': { content: Buffer.from(body('A')), mode: 0o755 },
      }),
      labels,
    });
    expect(plan.outcomes).toEqual([
      { path: 'src/db.ts', kind: 'renamed', from: 'src/platform/db.ts' },
    ]);
    expect(write(plan, 'src/db.ts')).toEqual({
      path: 'src/db.ts',
      content: Buffer.from(body('A').replace('h\n', 'H\n')),
      mode: 0o755,
    });
    expect(write(plan, 'src/platform/db.ts')?.content).toBeNull();
  });

  it('leaves a binary file both sides changed as yours, as a conflict', async () => {
    const plan = await mergeTrees({
      base: files({ 'logo.png': Buffer.from([0x89, 0, 1]) }),
      theirs: files({ 'logo.png': Buffer.from([0x89, 0, 2]) }),
      readOurs: repo({ 'logo.png': Buffer.from([0x89, 0, 3]) }),
      labels,
    });
    expect(plan.outcomes).toEqual([
      { path: 'logo.png', kind: 'conflict', reason: 'binary', markers: 0 },
    ]);
    expect(plan.writes).toEqual([]);
  });

  it('takes a binary file only the template changed', async () => {
    const plan = await mergeTrees({
      base: files({ 'logo.png': Buffer.from([0, 1]) }),
      theirs: files({ 'logo.png': Buffer.from([0, 2]) }),
      readOurs: repo({ 'logo.png': Buffer.from([0, 1]) }),
      labels,
    });
    expect(plan.writes).toEqual([
      { path: 'logo.png', content: Buffer.from([0, 2]) },
    ]);
  });

  it('writes over a file without giving it a mode, so an executable bit you set stays', async () => {
    const plan = await mergeTrees({
      base: files({ 'run.sh': lines('echo 1') }),
      theirs: files({ 'run.sh': lines('echo 2') }),
      readOurs: repo({
        'run.sh': { content: Buffer.from(lines('echo 1')), mode: 0o755 },
      }),
      labels,
    });
    expect(plan.writes).toEqual([
      { path: 'run.sh', content: Buffer.from(lines('echo 2')) },
    ]);
  });

  it('merges a file added on both sides: the same bytes are nothing to do, different ones are marked', async () => {
    const same = await mergeTrees({
      base: files({}),
      theirs: files({ 'new.ts': 'same' }),
      readOurs: repo({ 'new.ts': 'same' }),
      labels,
    });
    expect(same.outcomes).toEqual([]);
    const different = await mergeTrees({
      base: files({}),
      theirs: files({ 'new.ts': lines('theirs') }),
      readOurs: repo({ 'new.ts': lines('ours') }),
      labels,
    });
    expect(different.outcomes).toEqual([
      { path: 'new.ts', kind: 'conflict', reason: 'added-in-both', markers: 1 },
    ]);
    expect(write(different, 'new.ts')?.content?.toString()).toContain(
      '<<<<<<< yours\nours\n',
    );
  });
});
