import { Testing, type Construct } from '../cdk';

/** Synthesized Terraform JSON, parsed: `resource.<type>.<name>` and `data.<type>.<name>`. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, any>;
}

/** Synthesizes whatever `build` adds to a fresh test stack, with Aspects applied. */
export function synthJson(build: (scope: Construct) => void): {
  text: string;
  json: TerraformJson;
} {
  const text = Testing.synthScope(scope => build(scope));
  return { text, json: JSON.parse(text) };
}

/** All resources of one type, in synthesis order. */
export function resourcesOf(
  json: TerraformJson,
  type: string,
): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** Every resource of every type, with its type. */
export function allResources(
  json: TerraformJson,
): { type: string; config: Record<string, any> }[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.values(byName).map(config => ({ type, config })),
  );
}
