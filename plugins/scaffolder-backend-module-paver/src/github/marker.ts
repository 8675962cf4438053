import { createHash } from 'node:crypto';

/** How a repository says "task <id> made me", so a retry can recognise its own work. */
export interface TaskMarker {
  /** A GitHub topic: [a-z0-9-], at most 50 characters. */
  readonly topic: string;
  /** Put in the description at creation, so the repo is recognisable before topics are set. */
  readonly tag: string;
}

const TOPIC_PREFIX = 'paver-task-';
const TOPIC_MAX = 50;

export function taskMarker(taskId: string): TaskMarker {
  const fits =
    /^[a-z0-9-]+$/.test(taskId) &&
    TOPIC_PREFIX.length + taskId.length <= TOPIC_MAX;
  // Backstage task ids are lower-case UUIDs and fit as they are; anything else is hashed so two
  // ids that differ only in case or punctuation never share a topic.
  const suffix = fits
    ? taskId
    : createHash('sha256').update(taskId).digest('hex').slice(0, 32);
  return { topic: `${TOPIC_PREFIX}${suffix}`, tag: `[paver:${taskId}]` };
}

/** Whether a repository as GitHub returns it carries the marker of this task. */
export function carriesMarker(
  repo: { topics?: string[]; description?: string | null },
  marker: TaskMarker,
): boolean {
  return (
    (repo.topics ?? []).includes(marker.topic) ||
    (repo.description ?? '').includes(marker.tag)
  );
}

/** The description GitHub gets at creation: the user's text with the task's tag appended. */
export function markedDescription(
  description: string,
  marker: TaskMarker,
): string {
  return description ? `${description} ${marker.tag}` : marker.tag;
}
