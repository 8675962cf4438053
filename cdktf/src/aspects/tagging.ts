import {
  TerraformDataSource,
  TerraformResource,
  type IAspect,
  type IConstruct,
} from '../cdk';

/** The tags every taggable resource carries. */
export interface RequiredTags {
  /** Owning Group name (`payments`). */
  readonly owner: string;
  /** Service name. */
  readonly service: string;
}

type Taggable = TerraformResource & {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
};

// Generated provider classes expose `tagsInput` exactly when the resource schema has `tags`.
function isTaggable(node: IConstruct): node is Taggable {
  return (
    TerraformResource.isTerraformResource(node) &&
    !TerraformDataSource.isTerraformDataSource(node) &&
    'tagsInput' in node
  );
}

/**
 * Adds `owner`, `service` and `managed-by=paver` to every taggable resource under the scope. The
 * required tags win over tags a construct set itself, so cost and ownership reports stay true.
 * Data sources are skipped: their `tags` is a lookup filter, not a label.
 */
export class RequiredTagsAspect implements IAspect {
  constructor(private readonly required: RequiredTags) {}

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    node.tags = {
      ...(node.tagsInput ?? {}),
      owner: this.required.owner,
      service: this.required.service,
      'managed-by': 'paver',
    };
  }
}
