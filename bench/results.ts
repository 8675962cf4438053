import fs from 'node:fs';

/** Replaces what stands between `<!-- table -->` and `<!-- /table -->` in a RESULTS.md. */
export function writeTable(file: string, table: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- table -->');
  const end = text.indexOf('<!-- /table -->');
  if (start < 0 || end < 0) {
    throw new Error(`${file} has no <!-- table --> markers`);
  }
  fs.writeFileSync(
    file,
    `${text.slice(0, start)}<!-- table -->\n${table}\n${text.slice(end)}`,
  );
}
