import fs from 'node:fs';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderTemplate,
} from '@paver/golden-path';
import { TEST_PLATFORM, tempDirSync } from '@paver/test-utils';

const TEMPLATES = path.resolve(__dirname, '../../../../templates');

/** A golden path rendered with its fixture answers into a temp folder, as `paver new` writes it. */
export async function renderedGoldenPath(name: string): Promise<string> {
  const templateDir = path.join(TEMPLATES, name);
  const answers = parseAnswersYaml(
    fs.readFileSync(path.join(templateDir, 'fixtures/answers.yaml'), 'utf8'),
  );
  const targetDir = path.join(tempDirSync('paver-dev-test-'), name);
  await renderTemplate(loadTemplate(templateDir), answers, {
    targetDir,
    platform: TEST_PLATFORM,
  });
  return targetDir;
}
