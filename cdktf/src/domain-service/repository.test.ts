import { ServiceRepository } from './repository';
import { synthJson } from '../__testUtils__/synth';

/** Terraform's top-level `import` blocks: adopt the existing object `id` into the address `to`. */
interface ImportBlock {
  to: string;
  id: string;
}

function synthRepository(name: string) {
  const { text, json } = synthJson(
    scope =>
      new ServiceRepository(scope, 'repository', {
        name,
        ownerTeamSlug: 'payments',
      }),
  );
  const imports: ImportBlock[] = JSON.parse(text).import ?? [];
  /** The Terraform address of the only resource of `type`, e.g. `github_repository.repository_5D02F86B`. */
  const addressOf = (type: string) => {
    const names = Object.keys(json.resource?.[type] ?? {});
    expect(names).toHaveLength(1);
    return `${type}.${names[0]}`;
  };
  return { imports, addressOf };
}

describe('ServiceRepository adopting what the scaffolder created', () => {
  it('imports the repository by its name instead of creating it', () => {
    const { imports, addressOf } = synthRepository('invoices');
    expect(imports).toContainEqual({
      to: addressOf('github_repository'),
      id: 'invoices',
    });
  });

  it("imports main's protection rule, which the scaffolder also sets, by repository:pattern", () => {
    const { imports, addressOf } = synthRepository('invoices');
    expect(imports).toContainEqual({
      to: addressOf('github_branch_protection'),
      id: 'invoices:main',
    });
  });

  it('imports nothing else: team access and the production environment are created here', () => {
    const { imports } = synthRepository('ledger-entries');
    expect(imports.map(block => block.to.split('.')[0]).sort()).toEqual([
      'github_branch_protection',
      'github_repository',
    ]);
  });
});
