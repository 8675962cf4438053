import { generateRules, parseOpenSlo, SloError } from '@paver/slo';
import { TemplateInvalidError } from './errors';

/**
 * A file the engine computes from another rendered file rather than from a template source:
 * `{ path: slo-rules.yaml, from: slo.yaml, with: openslo-prometheus-rules }` in a fragment's
 * `_fragments/<name>.yaml`. Every front door renders through the engine, so every service gets
 * the same bytes its own `npm run slo` would write.
 */
export interface DerivedFile {
  path: string;
  from: string;
  with: keyof typeof DERIVERS;
}

const DERIVERS = {
  'openslo-prometheus-rules': (source: string, from: string) =>
    generateRules(parseOpenSlo(source, from), from),
};

/** Reads a layer's `derived:` list, refusing unknown derivers and paths outside the service. */
export function readDerivedList(value: unknown, source: string): DerivedFile[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new TemplateInvalidError(`${source} must be a list`);
  return value.map((entry, index) => {
    const where = `${source}[${index}]`;
    const record = (entry ?? {}) as Record<string, unknown>;
    for (const key of ['path', 'from'] as const) {
      const field = record[key];
      if (
        typeof field !== 'string' ||
        field.startsWith('/') ||
        field.split('/').includes('..')
      ) {
        throw new TemplateInvalidError(
          `${where}.${key} must be a relative path inside the service`,
        );
      }
    }
    if (typeof record.with !== 'string' || !(record.with in DERIVERS)) {
      throw new TemplateInvalidError(
        `${where}.with must be one of ${Object.keys(DERIVERS).join(
          ', ',
        )}, got ${JSON.stringify(record.with)}`,
      );
    }
    return {
      path: record.path as string,
      from: record.from as string,
      with: record.with as DerivedFile['with'],
    };
  });
}

/** Computes each derived file from the rendered output; a source that breaks its rules fails the render. */
export function deriveFiles(
  output: Map<string, Buffer>,
  derived: readonly DerivedFile[],
): void {
  for (const file of derived) {
    const source = output.get(file.from);
    if (!source) {
      throw new TemplateInvalidError(
        `derived ${file.path}: ${file.from} was not rendered`,
      );
    }
    try {
      output.set(
        file.path,
        Buffer.from(
          DERIVERS[file.with](source.toString('utf8'), file.from),
          'utf8',
        ),
      );
    } catch (error) {
      if (!(error instanceof SloError)) throw error;
      throw new TemplateInvalidError(`derived ${file.path}: ${error.message}`, {
        cause: error,
      });
    }
  }
}
