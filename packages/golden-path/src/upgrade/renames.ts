import path from 'node:path';

/** A file the new release moved: `from` in the base render, `to` in the new one. */
export interface Rename {
  from: string;
  to: string;
}

// Below this share of common lines, a removed and an added file are two different files.
const MIN_SIMILARITY = 0.5;

/**
 * Pairs files that the new release removed with files it added, when the content is the same or
 * the name is and most lines are (git's rename detection in miniature), so a team's edits follow
 * the file to its new place instead of becoming a delete/add conflict.
 */
export function detectRenames(
  base: ReadonlyMap<string, Buffer>,
  theirs: ReadonlyMap<string, Buffer>,
): Rename[] {
  const removed = [...base.keys()].filter(p => !theirs.has(p));
  const added = new Set([...theirs.keys()].filter(p => !base.has(p)));
  const renames: Rename[] = [];
  for (const from of removed) {
    const to = bestMatch(base.get(from)!, from, added, theirs);
    if (to) {
      renames.push({ from, to });
      added.delete(to);
    }
  }
  return renames;
}

function bestMatch(
  content: Buffer,
  from: string,
  candidates: Set<string>,
  theirs: ReadonlyMap<string, Buffer>,
): string | undefined {
  let best: { path: string; score: number } | undefined;
  for (const to of candidates) {
    const other = theirs.get(to)!;
    const score = similarity(content, from, other, to);
    if (score >= MIN_SIMILARITY && (!best || score > best.score)) {
      best = { path: to, score };
    }
  }
  return best?.path;
}

function similarity(a: Buffer, from: string, b: Buffer, to: string) {
  if (a.equals(b)) return 1;
  const sameName = path.posix.basename(from) === path.posix.basename(to);
  return sameName ? lineSimilarity(a, b) : 0;
}

/** Dice coefficient over the multiset of lines. */
export function lineSimilarity(a: Buffer, b: Buffer): number {
  const left = a.toString('utf8').split('\n');
  const right = b.toString('utf8').split('\n');
  const counts = new Map<string, number>();
  for (const line of left) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of right) {
    const n = counts.get(line) ?? 0;
    if (n > 0) {
      common++;
      counts.set(line, n - 1);
    }
  }
  return (2 * common) / (left.length + right.length);
}
