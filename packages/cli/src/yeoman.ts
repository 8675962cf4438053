import { PassThrough } from 'node:stream';
import type { PlatformSettings } from '@paver/golden-path';

/** A step the generator reports, as generator-paver emits them. */
export type GeneratorProgress =
  | { step: 'loaded'; name: string; version: string }
  | { step: 'validated' }
  | { step: 'rendered'; fileCount: number }
  | { step: 'written'; targetDir: string };

/** Options for {@link runPaverGenerator}. */
export interface RunGeneratorOptions {
  templatesRoot: string;
  template: string;
  answers: Record<string, unknown>;
  platform: PlatformSettings;
  /** Folder the generator writes into (the CLI passes an empty staging folder). */
  destination: string;
  onProgress?: (event: GeneratorProgress) => void;
  /** Show Yeoman's own log (file by file) on stderr. @default false */
  verbose?: boolean;
}

/**
 * Runs generator-paver through a real yeoman-environment, so `paver new` and `yo paver` share
 * one code path. Answers are complete by now, so the generator never prompts.
 */
export async function runPaverGenerator(
  options: RunGeneratorOptions,
): Promise<void> {
  // ESM-only packages (@yeoman/adapter exports only "import"): load them with a real import().
  const { createEnv } = await import('yeoman-environment');
  const { QueuedAdapter } = await import('@yeoman/adapter');
  const sink = new PassThrough().resume();
  const out = (options.verbose ? process.stderr : sink) as NodeJS.WriteStream;
  const env = createEnv({
    cwd: options.destination,
    adapter: new QueuedAdapter({ stdout: out, stderr: out }),
    skipInstall: true,
  });
  env.register(require.resolve('generator-paver/generators/app/index.js'), {
    namespace: 'paver:app',
  });
  const generator = await env.create('paver:app', {
    generatorArgs: [],
    generatorOptions: {
      templatesRoot: options.templatesRoot,
      template: options.template,
      answers: options.answers,
      platform: options.platform,
      onProgress: options.onProgress,
    } as never,
  });
  await env.runGenerator(generator);
}
