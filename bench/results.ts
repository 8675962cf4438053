import fs from 'node:fs';
import path from 'node:path';

/**
 * Replaces what stands between the `begin` and `end` markers of `file` with `text`, leaving the
 * prose around them alone. With `createMissing`, a missing file starts as just the markers.
 */
function replaceMarkedBlock(
  file: string,
  [begin, end]: [string, string],
  text: string,
  { createMissing = false } = {},
): void {
  const current =
    createMissing && !fs.existsSync(file)
      ? `${begin}\n${end}\n`
      : fs.readFileSync(file, 'utf8');
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  if (i < 0 || j < 0) {
    throw new Error(
      `${path.basename(file)} lacks the ${begin} / ${end} markers`,
    );
  }
  fs.writeFileSync(
    file,
    `${current.slice(0, i + begin.length)}\n${text}\n${current.slice(j)}`,
  );
}

/** Replaces what stands between `<!-- table -->` and `<!-- /table -->` in a RESULTS.md. */
export function writeTable(file: string, table: string): void {
  replaceMarkedBlock(file, ['<!-- table -->', '<!-- /table -->'], table);
}

/**
 * Replaces the results block (`<!-- results:begin -->` … `<!-- results:end -->`) of
 * `<benchDir>/RESULTS.md`. A missing file is an error unless `createMissing`.
 */
export function writeResultsBlock(
  benchDir: string,
  text: string,
  options: { createMissing?: boolean } = {},
): void {
  replaceMarkedBlock(
    path.join(benchDir, 'RESULTS.md'),
    ['<!-- results:begin -->', '<!-- results:end -->'],
    text,
    options,
  );
}
