import {
  TEMPLATE_ANNOTATION,
  TEMPLATE_BEHIND_ANNOTATION,
  TEMPLATE_LATEST_ANNOTATION,
} from '@paver/plugin-paver-common';

/** What the card reads: an entity's annotations (any catalog entity has this shape). */
export interface AnnotatedEntity {
  metadata: { annotations?: Record<string, string> };
}

/** The golden path an entity was generated from and, when the catalog knows it, how current it is. */
export interface TemplateCurrency {
  template: string;
  version: string;
  /** Unset when the catalog could not place the version among the releases (not a release). */
  latest?: string;
  behind?: number;
}

// `billing-service@1.0.0`, the format the catalog's currency processor parses too.
const TEMPLATE_VALUE = /^([a-z0-9][a-z0-9._-]*)@(.+)$/;

/** Whether the entity names the golden path (`paver.dev/template`) it was generated from. */
export function isFromGoldenPath(entity: AnnotatedEntity): boolean {
  return readTemplateCurrency(entity) !== undefined;
}

/** The entity's template currency from its `paver.dev/template*` annotations; undefined without one. */
export function readTemplateCurrency(
  entity: AnnotatedEntity,
): TemplateCurrency | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const match = TEMPLATE_VALUE.exec(annotations[TEMPLATE_ANNOTATION] ?? '');
  if (!match) return undefined;
  const [, template, version] = match;
  const latest = annotations[TEMPLATE_LATEST_ANNOTATION];
  const behind = Number.parseInt(annotations[TEMPLATE_BEHIND_ANNOTATION], 10);
  // Both or neither: the processor sets them together, and a half is not enough to judge.
  if (!latest || !Number.isInteger(behind) || behind < 0) {
    return { template, version };
  }
  return { template, version, latest, behind };
}

/** "up to date", "1 release behind", "3 releases behind". */
export function describeBehind(behind: number): string {
  if (behind === 0) return 'up to date';
  return `${behind} ${behind === 1 ? 'release' : 'releases'} behind`;
}
