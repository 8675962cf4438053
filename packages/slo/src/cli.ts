import { SloError } from './errors';
import { writeRuleFile } from './ruleFile';

const USAGE =
  'usage: paver-slo generate [slo.yaml] [--out slo-rules.yaml] [--check]';

/**
 * `paver-slo`, the bin a generated service runs (`npm run slo`, CI's `npm run slo:check`);
 * the same command as `paver slo generate`. Returns the exit code.
 */
export function main(
  argv: string[],
  io: { out(line: string): void; err(line: string): void; cwd?: string } = {
    out: line => process.stdout.write(`${line}\n`),
    err: line => process.stderr.write(`${line}\n`),
  },
): number {
  const [command, ...rest] = argv;
  if (command !== 'generate') {
    io.err(USAGE);
    return 2;
  }
  const options: { file?: string; out?: string; check?: boolean } = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--out' && rest[i + 1]) options.out = rest[++i];
    else if (!arg.startsWith('-') && options.file === undefined)
      options.file = arg;
    else {
      io.err(`paver-slo: unknown argument ${arg}\n${USAGE}`);
      return 2;
    }
  }
  try {
    io.out(`✔ ${writeRuleFile({ ...options, cwd: io.cwd })}`);
    return 0;
  } catch (error) {
    if (!(error instanceof SloError)) throw error;
    io.err(`paver-slo: ${error.message}`);
    return 1;
  }
}
