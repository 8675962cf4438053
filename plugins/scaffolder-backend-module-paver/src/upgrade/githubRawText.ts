import { status } from './githubPullRequests';

/**
 * The text of a GitHub answer in a raw media type (`raw` for a file, `sha` for a commit): octokit
 * hands the bytes over as a string when the answer names a text charset, else as an ArrayBuffer.
 */
export function rawText(data: unknown): string {
  const raw = data as string | ArrayBuffer;
  return typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
}

/**
 * What `read` answers, in a raw media type, as text; undefined when GitHub answers one of the
 * `absent` statuses, those that mean there is nothing there (yet) rather than a failed read.
 */
export async function rawTextUnlessAbsent(
  read: () => Promise<{ data: unknown }>,
  absent: readonly number[],
): Promise<string | undefined> {
  try {
    return rawText((await read()).data);
  } catch (error) {
    const code = status(error);
    if (code !== undefined && absent.includes(code)) return undefined;
    throw error;
  }
}
