import fs from 'node:fs';
import path from 'node:path';
import { generateRules, parseOpenSlo, SloError } from '@paver/slo';
import { CliError, StaleOutputError } from '../errors';
import { CliIo, step } from '../io';

export interface SloGenerateOptions {
  /** The OpenSLO file. @default slo.yaml */
  file?: string;
  /** The Prometheus rule file to write. @default slo-rules.yaml beside the OpenSLO file */
  out?: string;
  /** Write nothing; fail when the rule file differs from what the OpenSLO file generates. */
  check?: boolean;
}

/**
 * `paver slo generate`: Prometheus recording rules and multi-window, multi-burn-rate alerts from
 * an OpenSLO file. `--check` is the CI step that fails when someone edited one without the other.
 */
export function sloGenerate(options: SloGenerateOptions, io: CliIo): void {
  const file = path.resolve(io.cwd, options.file ?? 'slo.yaml');
  const out = path.resolve(
    io.cwd,
    options.out ?? path.join(path.dirname(file), 'slo-rules.yaml'),
  );
  const name = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let rules: string;
  try {
    rules = generateRules(parseOpenSlo(text, name), name);
  } catch (error) {
    if (error instanceof SloError)
      throw new CliError(error.message, { cause: error });
    throw error;
  }
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  if (options.check) {
    if (current !== rules) {
      throw new StaleOutputError(
        `${path.basename(out)} ${
          current === undefined ? 'is missing' : 'is stale'
        }: run \`paver slo generate\` and commit it`,
      );
    }
    step(io, `${path.basename(out)} is what ${name} generates`);
    return;
  }
  // Written beside the target and renamed over it: a reader never sees half a rule file.
  const staging = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(staging, rules);
  fs.renameSync(staging, out);
  step(io, `wrote ${path.relative(io.cwd, out) || out} from ${name}`);
}
