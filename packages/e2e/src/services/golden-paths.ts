import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A golden path with fixture answers, which the end-to-end check can render. */
export interface FixtureTemplate {
  name: string;
  dir: string;
  answersFile: string;
}

export const FIXTURE_ANSWERS = 'fixtures/answers.yaml';

/** Template folders (not `_*`) that have a template.yaml and fixtures/answers.yaml, by name. */
export function templatesWithFixtures(
  templatesRoot: string,
): FixtureTemplate[] {
  return readdirSync(templatesRoot, { withFileTypes: true })
    .filter(
      entry =>
        entry.isDirectory() &&
        !entry.name.startsWith('_') &&
        !entry.name.startsWith('.'),
    )
    .map(entry => path.join(templatesRoot, entry.name))
    .filter(
      dir =>
        existsSync(path.join(dir, 'template.yaml')) &&
        existsSync(path.join(dir, FIXTURE_ANSWERS)),
    )
    .map(dir => ({
      name: path.basename(dir),
      dir,
      answersFile: path.join(dir, FIXTURE_ANSWERS),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
