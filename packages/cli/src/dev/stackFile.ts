import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYamlSafe } from '@paver/golden-path';
import { z } from 'zod';
import { DevStackError } from '../errors';

/** The stack file's default name, looked for in the current folder. */
export const STACK_FILE = 'paver-dev.yaml';

const stackFileSchema = z.strictObject({
  services: z
    .array(
      z.strictObject({
        /** The service repository, relative to the stack file. */
        path: z.string().min(1),
        /** Variables set for every process of the service, over what its deployment sets. */
        env: z
          .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
          .default({}),
      }),
    )
    .min(1),
});

/** The stack file with each service's path made absolute. */
export type StackFile = z.infer<typeof stackFileSchema>;

/** Reads and checks a stack file; an error names the file and the field at fault. */
export function readStackFile(file: string): StackFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DevStackError(
      `${file}: cannot be read (${
        (error as NodeJS.ErrnoException).code ?? error
      }); write one listing services: [{ path: ../billing-api }], or give --file`,
      { cause: error },
    );
  }
  const parsed = stackFileSchema.safeParse(
    parseYamlSafe(text, { label: file, errorType: DevStackError }),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevStackError(
      `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
  }
  const base = path.dirname(file);
  return {
    services: parsed.data.services.map(s => ({
      ...s,
      path: path.resolve(base, s.path),
    })),
  };
}
