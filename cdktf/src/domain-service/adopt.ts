import { TerraformStack, type TerraformResource } from '../cdk';

/** A Terraform `import` block: adopt the existing object `id` into the address `to`. */
interface ImportBlock {
  to: string;
  id: string;
}

const importsByStack = new WeakMap<TerraformStack, ImportBlock[]>();

/**
 * Adopts an object that already exists (the repository the portal created) into `resource`
 * through a top-level Terraform `import` block, the same JSON cdktf's `importFrom` writes. Not
 * `importFrom` itself: that adds a synth-time check which runs `terraform version` on the machine
 * synthesizing (the portal's, a laptop), which need not have Terraform; the machine that applies
 * pins Terraform 1.10 (infra.yml), and import blocks need 1.5.
 */
export function adoptExisting(resource: TerraformResource, id: string): void {
  const stack = TerraformStack.of(resource);
  const imports = importsByStack.get(stack) ?? [];
  imports.push({
    to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
    id,
  });
  importsByStack.set(stack, imports);
  stack.addOverride('import', imports);
}
