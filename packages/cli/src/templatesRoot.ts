import fs from 'node:fs';
import path from 'node:path';
import { TemplateNotFoundError } from '@paver/golden-path';

/**
 * The repository's `templates/`: walks up from `cwd` to the folder that holds `templates/` and a
 * package.json named `paver`, so `paver` works from anywhere inside the repository.
 */
export function findTemplatesRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isPaverRoot(dir)) return path.join(dir, 'templates');
    if (path.dirname(dir) === dir) break;
  }
  throw new TemplateNotFoundError(
    `no paver repository (templates/ beside a package.json named "paver") above ${cwd}; pass --templates <dir>`,
  );
}

function isPaverRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
    );
    return (
      pkg?.name === 'paver' &&
      fs.statSync(path.join(dir, 'templates')).isDirectory()
    );
  } catch {
    return false;
  }
}
