import fs from 'node:fs';
import path from 'node:path';
import { SloError } from './errors';
import { parseOpenSlo } from './openslo';
import { generateRules } from './rules';

/** The rule file does not match what its OpenSLO file generates (`--check`). */
export class StaleRulesError extends SloError {}

export interface RuleFileOptions {
  /** The OpenSLO file. @default slo.yaml */
  file?: string;
  /** The Prometheus rule file. @default slo-rules.yaml beside the OpenSLO file */
  out?: string;
  /** Write nothing; throw StaleRulesError when the rule file differs from what would be written. */
  check?: boolean;
  /** Where relative paths start. @default process.cwd() */
  cwd?: string;
}

/**
 * `paver slo generate` and a service's `npm run slo`: writes the Prometheus rules an OpenSLO file
 * generates (atomically: a reader never sees half a file), or with `check` proves the committed
 * rule file is current. Returns the line to print.
 */
export function writeRuleFile(options: RuleFileOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.file ?? 'slo.yaml');
  const out = path.resolve(
    cwd,
    options.out ?? path.join(path.dirname(file), 'slo-rules.yaml'),
  );
  const name = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SloError(`cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const rules = generateRules(parseOpenSlo(text, name), name);
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  if (options.check) {
    if (current !== rules) {
      const state = current === undefined ? 'is missing' : 'is stale';
      throw new StaleRulesError(
        `${path.basename(
          out,
        )} ${state}: run \`paver slo generate\` (in a service: npm run slo) and commit it`,
      );
    }
    return `${path.basename(out)} is what ${name} generates`;
  }
  const staging = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(staging, rules);
  fs.renameSync(staging, out);
  return `wrote ${path.relative(cwd, out) || out} from ${name}`;
}
