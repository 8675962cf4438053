import fs from 'node:fs';
import {
  AnswersInvalidError,
  coerceFieldValue,
  describeFields,
  LoadedTemplate,
  MAX_YAML_BYTES,
  parseAnswersYaml,
  validateField,
} from '@paver/golden-path';
import { UsageError } from './errors';
import { CliIo } from './io';

/** Reads an answers file, refusing an oversized one before reading it into memory. */
export function readAnswersFile(file: string): Record<string, unknown> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new UsageError(`answers file ${file} does not exist`);
  }
  if (size > MAX_YAML_BYTES) {
    throw new AnswersInvalidError([
      {
        field: 'answers',
        message: `file ${file} is larger than ${MAX_YAML_BYTES} bytes`,
      },
    ]);
  }
  return parseAnswersYaml(fs.readFileSync(file, 'utf8'));
}

/** Applies `--set key=value` pairs on top of `answers`, typed by the template's schema. */
export function applySets(
  template: LoadedTemplate,
  answers: Record<string, unknown>,
  sets: readonly string[],
): Record<string, unknown> {
  const out = { ...answers };
  for (const pair of sets) {
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(pair);
    if (!match)
      throw new UsageError(
        `--set expects key=value, got ${JSON.stringify(pair)}`,
      );
    out[match[1]] = coerceFieldValue(template, match[1], match[2]);
  }
  return out;
}

/**
 * Fills in what is missing: asks every unanswered field when a person is there, otherwise fails
 * listing the required fields that have neither an answer nor a default.
 */
export async function completeAnswers(
  template: LoadedTemplate,
  answers: Record<string, unknown>,
  io: CliIo,
): Promise<Record<string, unknown>> {
  const fields = describeFields(template).filter(
    f => answers[f.name] === undefined,
  );
  const missing = fields.filter(f => f.required && f.default === undefined);
  if (missing.length === 0) return answers;
  if (!io.interactive) {
    throw new AnswersInvalidError(
      missing.map(f => ({
        field: `answers.${f.name}`,
        message: 'is required (pass --answers <file> or --set key=value)',
      })),
    );
  }
  const out = { ...answers };
  for (const field of fields) {
    const value = await io.ask(
      field,
      v => validateField(template, field.name, v) ?? true,
    );
    if (value !== undefined && value !== '') out[field.name] = value;
  }
  return out;
}
