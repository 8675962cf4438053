import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The `## <version>` sections of a template's CHANGELOG.md for versions after `from` up to and
 * including `to`, newest first as the file has them: the body of an upgrade pull request.
 */
export async function changelogBetween(
  templateDir: string,
  inRange: (version: string) => boolean,
): Promise<string> {
  const text = await fs
    .readFile(path.join(templateDir, 'CHANGELOG.md'), 'utf8')
    .catch(() => '');
  const sections = text.split(/^(?=## )/m).slice(1);
  return sections
    .filter(section => {
      const version = /^## \[?([^\]\s]+)\]?/.exec(section)?.[1];
      return version !== undefined && inRange(version);
    })
    .join('')
    .trim();
}
