import type { FieldPrompt } from '@paver/golden-path';

/** Where a command reads and writes; the real process in the bin, fakes in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  /** The environment (e.g. PAVER_CATALOG_TOKEN); read here, not from process.env in commands. */
  env?: NodeJS.ProcessEnv;
  /** True when a person can answer prompts. */
  interactive: boolean;
  /** Asks one field; only called when `interactive`. */
  ask(
    field: FieldPrompt,
    validate: (value: unknown) => string | true,
  ): Promise<unknown>;
}

/** Prints one finished step the way every command does: `✔ rendered 58 files`. */
export function step(io: CliIo, message: string): void {
  io.stdout.write(`✔ ${message}\n`);
}
