import path from 'node:path';
import {
  findTemplateDirs,
  GoldenPathError,
  loadTemplate,
} from '@paver/golden-path';
import { CliIo } from '../io';

/**
 * `paver template list`: one aligned row per template (name, version, title, description).
 * A broken template gets a row saying why, instead of hiding the others.
 */
export function templateList(templatesRoot: string, io: CliIo): void {
  const rows = [
    ['NAME', 'VERSION', 'TITLE', 'DESCRIPTION'],
    ...findTemplateDirs(templatesRoot).map(row),
  ];
  const widths = [0, 1, 2].map(i => Math.max(...rows.map(r => r[i].length)));
  for (const cells of rows) {
    const line = cells
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell))
      .join('  ');
    io.stdout.write(`${line.trimEnd()}\n`);
  }
}

function row(dir: string): string[] {
  try {
    const t = loadTemplate(dir);
    return [t.name, t.version, t.title, t.description];
  } catch (error) {
    if (!(error instanceof GoldenPathError)) throw error;
    return [path.basename(dir), '-', '-', `(invalid: ${error.message})`];
  }
}
