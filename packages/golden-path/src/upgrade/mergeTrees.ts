import { mergeText, type MergeLabels } from './mergeText';
import { detectRenames } from './renames';

/** A file as the repository has it: bytes and mode (so an executable bit survives). */
export interface RepoFile {
  content: Buffer;
  mode: number;
}

/** Reads a file of the service repository; undefined when it does not exist. */
export type ReadRepoFile = (path: string) => Promise<RepoFile | undefined>;

/** Why a file could not be merged cleanly; each is listed in the summary. */
export type ConflictReason =
  | 'both-changed'
  | 'added-in-both'
  | 'deleted-by-template'
  | 'deleted-by-you'
  | 'binary';

/** What the upgrade does to one file. Unchanged files are not listed. */
export type FileOutcome =
  | { path: string; kind: 'updated' | 'added' | 'deleted' | 'merged' }
  | { path: string; kind: 'renamed'; from: string }
  | {
      path: string;
      kind: 'conflict';
      reason: ConflictReason;
      /** Regions written with markers; 0 where the file was left as yours. */
      markers: number;
      from?: string;
    };

/** A write the upgrade makes: new bytes, or `null` to delete. */
export interface FileWrite {
  path: string;
  content: Buffer | null;
  /** Mode to set (a renamed file keeps its old one); writes over a file keep its mode. */
  mode?: number;
}

/** The outcome of every changed file, and the writes that apply them. */
export interface MergePlan {
  outcomes: FileOutcome[];
  writes: FileWrite[];
}

/** The three sides of an upgrade: `base` and `theirs` are renders, `ours` is the repository. */
export interface MergeTreesInput {
  base: ReadonlyMap<string, Buffer>;
  theirs: ReadonlyMap<string, Buffer>;
  readOurs: ReadRepoFile;
  labels: MergeLabels;
}

/**
 * Plans a three-way merge per file, with git's rules: a side that did not change a file takes the
 * other side's version; both changed it, the text is merged with markers where they overlap;
 * deletes, renames, binaries and files added on both sides each have an explicit outcome. Files
 * the templates never rendered are the team's own and never read. Writes nothing.
 */
export async function mergeTrees(input: MergeTreesInput): Promise<MergePlan> {
  const renames = await usableRenames(input);
  const moved = new Set(renames.flatMap(r => [r.from, r.to]));
  const steps: Array<FileStep | undefined> = [];
  for (const rename of renames) steps.push(await mergeRename(input, rename));
  const paths = new Set([...input.base.keys(), ...input.theirs.keys()]);
  for (const path of [...paths].sort()) {
    if (!moved.has(path)) steps.push(await mergePath(input, path));
  }
  const done = steps.filter((s): s is FileStep => s !== undefined);
  return {
    outcomes: done.map(s => s.outcome).sort((a, b) => byPath(a.path, b.path)),
    writes: done.flatMap(s => s.writes),
  };
}

/** One file's outcome and the writes that carry it out. */
interface FileStep {
  outcome: FileOutcome;
  writes: FileWrite[];
}

// A rename only where nothing already sits at the new path; otherwise each path on its own.
async function usableRenames(input: MergeTreesInput) {
  const renames = detectRenames(input.base, input.theirs);
  const free = await Promise.all(
    renames.map(async r => !(await input.readOurs(r.to))),
  );
  return renames.filter((_, i) => free[i]);
}

async function mergePath(
  input: MergeTreesInput,
  path: string,
): Promise<FileStep | undefined> {
  const base = input.base.get(path);
  const theirs = input.theirs.get(path);
  const ours = await input.readOurs(path);
  if (same(base, theirs) || same(ours?.content, theirs)) return undefined;
  if (same(ours?.content, base)) {
    return {
      outcome: { path, kind: oneSidedKind(base, theirs) },
      writes: [{ path, content: theirs ?? null }],
    };
  }
  // From here all three differ.
  if (!ours) return conflict(path, 'deleted-by-you');
  if (!theirs) return conflict(path, 'deleted-by-template');
  const merged = await mergeContent(input, ours.content, base, theirs);
  if (!merged) return conflict(path, 'binary');
  const writes = [{ path, content: merged.content }];
  if (merged.conflicts === 0)
    return { outcome: { path, kind: 'merged' }, writes };
  const reason = base ? 'both-changed' : 'added-in-both';
  return conflict(path, reason, { markers: merged.conflicts, writes });
}

function oneSidedKind(base: Buffer | undefined, theirs: Buffer | undefined) {
  if (!theirs) return 'deleted' as const;
  return base ? ('updated' as const) : ('added' as const);
}

async function mergeRename(
  input: MergeTreesInput,
  { from, to }: { from: string; to: string },
): Promise<FileStep> {
  const base = input.base.get(from)!;
  const theirs = input.theirs.get(to)!;
  const ours = await input.readOurs(from);
  if (!ours) return conflict(to, 'deleted-by-you', { from });
  const merged = same(ours.content, base)
    ? { content: theirs, conflicts: 0 }
    : await mergeContent(input, ours.content, base, theirs);
  if (!merged) return conflict(from, 'binary');
  const writes: FileWrite[] = [
    { path: to, content: merged.content, mode: ours.mode },
    { path: from, content: null },
  ];
  if (merged.conflicts === 0) {
    return { outcome: { path: to, kind: 'renamed', from }, writes };
  }
  return conflict(to, 'both-changed', {
    markers: merged.conflicts,
    writes,
    from,
  });
}

/** A text merge, or undefined when any side is binary (git's test: a NUL byte early on). */
async function mergeContent(
  input: MergeTreesInput,
  ours: Buffer,
  base: Buffer | undefined,
  theirs: Buffer,
) {
  if ([ours, base, theirs].some(b => b && isBinary(b))) return undefined;
  return mergeText(ours, base ?? Buffer.alloc(0), theirs, input.labels);
}

function conflict(
  path: string,
  reason: ConflictReason,
  more: { markers?: number; writes?: FileWrite[]; from?: string } = {},
): FileStep {
  const { markers = 0, writes = [], from } = more;
  return {
    outcome: {
      path,
      kind: 'conflict',
      reason,
      markers,
      ...(from ? { from } : {}),
    },
    writes,
  };
}

const byPath = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

const same = (a: Buffer | undefined, b: Buffer | undefined) =>
  a === undefined || b === undefined ? a === b : a.equals(b);

const isBinary = (b: Buffer) => b.subarray(0, 8000).includes(0);
