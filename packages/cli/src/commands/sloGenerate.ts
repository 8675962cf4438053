import {
  SloError,
  StaleRulesError,
  writeRuleFile,
  type RuleFileOptions,
} from '@paver/slo';
import { CliError, StaleOutputError } from '../errors';
import { CliIo, step } from '../io';

/**
 * `paver slo generate`: Prometheus recording rules and multi-window, multi-burn-rate alerts from
 * an OpenSLO file; `--check` is the CI step that fails when someone edited one without the other.
 * The same code as a service's own `paver-slo` bin.
 */
export function sloGenerate(
  options: Omit<RuleFileOptions, 'cwd'>,
  io: CliIo,
): void {
  try {
    step(io, writeRuleFile({ ...options, cwd: io.cwd }));
  } catch (error) {
    if (error instanceof StaleRulesError)
      throw new StaleOutputError(error.message, { cause: error });
    if (error instanceof SloError)
      throw new CliError(error.message, { cause: error });
    throw error;
  }
}
