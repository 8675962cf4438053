import { createHash } from 'node:crypto';
import type { TemplateLayer } from './template';

/**
 * A digest of everything a render reads from a template: its template.yaml and every layer's
 * files, generated list and derived list. A service records it, so `paver upgrade` can tell that
 * the release it re-renders as the merge base is the source the service was made from.
 */
export function sourceDigest(
  entityBytes: Buffer,
  layers: readonly TemplateLayer[],
): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer) => {
    // Length-prefixed, so no two different sources hash the same concatenation.
    hash.update(`${Buffer.byteLength(value)}:`);
    hash.update(value);
  };
  field(entityBytes);
  for (const layer of layers) {
    field(layer.label);
    field(
      JSON.stringify({ generated: layer.generated, derived: layer.derived }),
    );
    for (const file of layer.files) {
      field(file.path);
      field(file.content);
    }
  }
  return `sha256:${hash.digest('hex')}`;
}
