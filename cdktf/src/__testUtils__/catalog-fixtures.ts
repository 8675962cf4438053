import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@paver/test-utils';

export const group = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
  description: The ${name} team.
spec:
  type: team
  children: []
`;

export const component = (
  name: string,
  owner: string,
  annotations = '',
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${JSON.stringify(name)}
  description: ${name} does one thing.
${annotations ? `  annotations:\n${annotations}` : ''}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

/** A catalog folder in a temp dir: `files` maps a relative path to YAML. */
export async function fixtureCatalog(
  files: Record<string, string>,
): Promise<{ dir: string; root: string; remove(): Promise<void> }> {
  const root = await tempDir('paver-catalog-');
  const dir = path.join(root, 'catalog');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return {
    dir,
    root,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** The organisation the real catalog describes, plus two Components. */
export const healthyCatalog = {
  'groups/payments.yaml': group('payments'),
  'groups/identity.yaml': group('identity'),
  'groups/analytics.yaml': group('analytics'),
  'components/invoices.yaml': component('invoices', 'group:default/payments'),
  'components/accounts.yaml': `${component(
    'accounts',
    'identity',
  )}---\n# a trailing empty document\n`,
};
