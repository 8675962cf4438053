import fs from 'node:fs/promises';
import path from 'node:path';
import { parseEntityRef } from '@backstage/catalog-model';
import { ANSWERS_FILE, parseYamlSafe } from '@paver/golden-path';

/**
 * "Initial commit from <template>@<version>", read from the rendered answers file, so the first
 * commit says exactly which golden path version made the repository. A workspace from another
 * action (stock fetch:template) has no answers file; then the template's name is all we know.
 */
export async function initialCommitMessage(
  workspacePath: string,
  templateRef?: string,
): Promise<string> {
  const answers = await readAnswers(path.join(workspacePath, ANSWERS_FILE));
  if (answers)
    return `Initial commit from ${answers.template}@${answers.version}`;
  const name = templateRef ? safeName(templateRef) : undefined;
  return `Initial commit from ${name ?? 'Paver'}`;
}

async function readAnswers(
  file: string,
): Promise<{ template: string; version: string } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const doc = parseYamlSafe(text, { label: ANSWERS_FILE }) as Record<
    string,
    unknown
  > | null;
  const { template, version } = doc ?? {};
  return typeof template === 'string' && typeof version === 'string'
    ? { template, version }
    : undefined;
}

function safeName(ref: string): string | undefined {
  try {
    return parseEntityRef(ref, { defaultKind: 'template' }).name;
  } catch {
    return undefined;
  }
}
