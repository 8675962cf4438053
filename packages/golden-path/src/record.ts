import semver from 'semver';
import type { Answers } from './answers';
import { UpgradeError } from './errors';
import type { PlatformSettings } from './handlebars';
import { parseYamlSafe } from './yaml';

/** What `.paver/answers.yaml` says a service was made from. */
export interface ServiceRecord {
  template: string;
  version: string;
  /** Absent in services made before Paver recorded it. */
  digest?: string;
  /** Absent in services made before Paver recorded it. */
  platform?: PlatformSettings;
  answers: Answers;
}

/** Reads a service's answers file, naming the field that is missing or wrong. */
export function parseServiceRecord(text: string, label: string): ServiceRecord {
  const doc = parseYamlSafe(text, { label, errorType: UpgradeError });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UpgradeError(`${label} must be a mapping`);
  }
  const record = doc as Record<string, unknown>;
  const field = (name: string) => `${label}: ${name}`;
  if (typeof record.template !== 'string' || record.template === '') {
    throw new UpgradeError(`${field('template')} must name a golden path`);
  }
  if (typeof record.version !== 'string' || !semver.valid(record.version)) {
    throw new UpgradeError(`${field('version')} must be a semver version`);
  }
  if (record.digest !== undefined && typeof record.digest !== 'string') {
    throw new UpgradeError(`${field('digest')} must be a string`);
  }
  return {
    template: record.template,
    version: record.version,
    digest: record.digest as string | undefined,
    platform: mapping(record.platform, field('platform')) as
      | PlatformSettings
      | undefined,
    answers: (mapping(record.answers, field('answers')) ?? {}) as Answers,
  };
}

function mapping(value: unknown, where: string) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UpgradeError(`${where} must be a mapping`);
  }
  return value as Record<string, unknown>;
}
