import { Aspects, type IConstruct } from '../cdk';
import type { Lifecycle } from '../domain-service/props';
import {
  DeletionProtectionAspect,
  StorageEncryptionAspect,
} from './datastore-rules';
import { RequiredTagsAspect, type RequiredTags } from './tagging';

export {
  DeletionProtectionAspect,
  StorageEncryptionAspect,
} from './datastore-rules';
export { RequiredTagsAspect } from './tagging';
export type { RequiredTags } from './tagging';

/** What the organisation rules need to know about the scope they govern. */
export interface OrganisationRulesOptions extends RequiredTags {
  /** `production` adds deletion protection. */
  readonly lifecycle: Lifecycle;
}

/**
 * Applies the organisation's rules as Aspects to everything under `scope`, including resources
 * added later or by hand: required tags, storage encryption, and deletion protection in production.
 */
export function applyOrganisationRules(
  scope: IConstruct,
  options: OrganisationRulesOptions,
): void {
  const aspects = Aspects.of(scope);
  aspects.add(
    new RequiredTagsAspect({ owner: options.owner, service: options.service }),
  );
  aspects.add(new StorageEncryptionAspect());
  if (options.lifecycle === 'production')
    aspects.add(new DeletionProtectionAspect());
}
