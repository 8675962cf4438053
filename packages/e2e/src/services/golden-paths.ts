import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderTemplate,
} from '@paver/golden-path';

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

/** Renders the template with its fixture answers into `targetDir` (which must not exist yet). */
export async function renderFixture(
  template: FixtureTemplate,
  targetDir: string,
): Promise<string[]> {
  const loaded = loadTemplate(template.dir);
  const answers = parseAnswersYaml(readFileSync(template.answersFile, 'utf8'));
  const result = await renderTemplate(loaded, answers, { targetDir });
  return result.files;
}
