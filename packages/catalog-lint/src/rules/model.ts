import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity,
  type EntityPolicy,
  type KindValidator,
} from '@backstage/catalog-model';
import type { CatalogProblem } from '../problems';
import type { LoadedEntity } from '../types';
import { problemAt } from './common';
import { locateBackstageMessage } from './messages';
import { withPlaceholdersResolved } from './placeholders';

/** The kinds the catalog backend understands out of the box (BuiltinKindsEntityProcessor). */
export const BUILTIN_KIND_VALIDATORS: readonly KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

// The backend's default policy chain, in its order; each stops at its first complaint.
const POLICIES: readonly EntityPolicy[] = [
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
];

/**
 * What the real catalog would say about this entity: its placeholders resolved (`$text: ./x`), the
 * envelope policies, then the kind's own schema. At most one problem, as Backstage itself reports one error per entity.
 */
export async function modelProblems(
  item: LoadedEntity,
  kindValidators: readonly KindValidator[],
): Promise<CatalogProblem[]> {
  let entity: Entity = withPlaceholdersResolved(item.entity);
  try {
    for (const policy of POLICIES) {
      entity = (await policy.enforce(entity)) ?? entity;
    }
    if (await matchesSomeKind(entity, kindValidators)) {
      return [];
    }
  } catch (error) {
    const { field, message } = locateBackstageMessage(
      String((error as Error).message ?? error),
    );
    return [problemAt(item, field, message)];
  }
  return [
    problemAt(
      item,
      'kind',
      `kind ${entity.kind} with apiVersion ${entity.apiVersion} is not a kind the catalog knows`,
    ),
  ];
}

async function matchesSomeKind(
  entity: Entity,
  validators: readonly KindValidator[],
): Promise<boolean> {
  for (const validator of validators) {
    if (await validator.check(entity)) {
      return true;
    }
  }
  return false;
}
