/**
 * One thing wrong with the catalog, precise enough to fix without searching:
 * `file` is shown as `<catalog folder name>/<path inside it>` (e.g. `catalog/groups/x.yaml`),
 * `field` is a JSON-ish path (`metadata.name`, `spec.targets[2]`, `metadata.annotations["a/b"]`),
 * or `(file)` / `(document)` when the whole file or document is at fault.
 */
export interface CatalogProblem {
  file: string;
  entityRef?: string;
  field: string;
  message: string;
}

/**
 * One rule broken by one entity, before anyone knows where the entity came from: the CLI adds the
 * file ({@link CatalogProblem}), the catalog processor the location it read the entity from.
 */
export type EntityViolation = Pick<CatalogProblem, 'field' | 'message'>;

/** Stands for the whole file in {@link CatalogProblem.field}. */
export const WHOLE_FILE = '(file)';

/** Stands for a whole YAML document (not a mapping, no kind, ...) in {@link CatalogProblem.field}. */
export const WHOLE_DOCUMENT = '(document)';

/** `catalog/groups/x.yaml: group:default/x: spec.owner: <message>`; the ref is left out when unknown. */
export function formatProblem(problem: CatalogProblem): string {
  const parts = [problem.file];
  if (problem.entityRef) {
    parts.push(problem.entityRef);
  }
  parts.push(problem.field, problem.message);
  return parts.join(': ');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Joins path segments JSON-ish: `['spec', 'targets', 2]` → `spec.targets[2]`; odd keys are quoted. */
export function fieldPath(segments: ReadonlyArray<string | number>): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      path += path ? `.${segment}` : segment;
    } else {
      path += `[${JSON.stringify(segment)}]`;
    }
  }
  return path;
}
