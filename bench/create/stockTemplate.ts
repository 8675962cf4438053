// The stock template the golden paths race: the billing service's files as a fetch:template
// skeleton, so the stock create pushes the same repository a Paver create does and the race
// measures the actions, not the content.
import fs from 'node:fs';
import path from 'node:path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { loadTemplate, renderToMemory } from '@paver/golden-path';
import { REPO_ROOT } from '../../packages/e2e/src/backend/backendProcess';
import { fixtureAnswers } from './subjects';

/** The name the billing service is rendered under, then found again and put back as a value. */
const SENTINEL = 'zzstockname';

/** Each spelling of the sentinel in the rendered files, and the expression that writes it. */
const REPLACEMENTS: readonly [string, string][] = [
  [SENTINEL, '${{ values.name }}'],
  [SENTINEL.toUpperCase(), '${{ values.name | upper }}'],
  ['Zzstockname', '${{ values.name | capitalize }}'],
];

/**
 * Writes the stock template with its skeleton into `dir`: the billing service rendered with its
 * fixture answers under a sentinel name, every occurrence of the name put back as
 * `${{ values.name }}`, and whatever else looks like template syntax (GitHub Actions' `${{ }}`)
 * kept verbatim in raw blocks, so fetch:template produces the same 72 files the golden path does.
 * Returns the number of files.
 */
export function writeStockTemplate(dir: string): number {
  const files = renderToMemory(
    loadTemplate(path.join(REPO_ROOT, 'templates/billing-service')),
    { ...fixtureAnswers('billing-service'), name: SENTINEL },
    { platform: TEST_PLATFORM },
  );
  const skeleton = path.join(dir, 'skeleton');
  for (const [file, content] of files) {
    const text =
      typeof content === 'string'
        ? content
        : Buffer.from(content as Uint8Array).toString('utf8');
    const target = path.join(skeleton, templated(file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, templated(text));
  }
  fs.copyFileSync(
    path.join(__dirname, 'stock-templates/billing-stock/template.yaml'),
    path.join(dir, 'template.yaml'),
  );
  return files.size;
}

/** `text` as fetch:template source: the sentinel's spellings as expressions, the rest raw. */
function templated(text: string): string {
  const { parts, joins } = splitAtSentinel(text);
  return parts.map((p, i) => raw(p) + (joins[i] ?? '')).join('');
}

/**
 * Splits `text` at every spelling of the sentinel: the literal pieces, and between pieces i and
 * i + 1 the expression joins[i] that stands for the spelling found there.
 */
function splitAtSentinel(text: string): { parts: string[]; joins: string[] } {
  let parts: string[] = [text];
  let joins: string[] = [];
  for (const [needle, expr] of REPLACEMENTS) {
    const nextParts: string[] = [];
    const nextJoins: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const pieces = parts[i].split(needle);
      for (let j = 0; j < pieces.length; j++) {
        nextParts.push(pieces[j]);
        if (j < pieces.length - 1) nextJoins.push(expr);
      }
      if (i < joins.length) nextJoins.push(joins[i]);
    }
    parts = nextParts;
    joins = nextJoins;
  }
  return { parts, joins };
}

/** A literal piece that Nunjucks would read as syntax, wrapped so it comes out as written. */
function raw(s: string): string {
  return /\$\{\{|\{%|\{#/.test(s) ? `{% raw %}${s}{% endraw %}` : s;
}
