import {
  DbInstance,
  DynamodbTable,
  type IAspect,
  type IConstruct,
} from '../cdk';

/** Turns storage encryption on for every RDS instance and DynamoDB table, whatever a construct said. */
export class StorageEncryptionAspect implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof DbInstance) {
      node.storageEncrypted = true;
    } else if (node instanceof DynamodbTable) {
      // Keep a customer-managed key if one was chosen; only force the switch on.
      const current = node.serverSideEncryptionInput;
      node.putServerSideEncryption({
        kmsKeyArn: current?.kmsKeyArn,
        enabled: true,
      });
    }
  }
}

/** Production datastores cannot be deleted by an apply: deletion protection on, a final snapshot kept. */
export class DeletionProtectionAspect implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof DbInstance) {
      node.deletionProtection = true;
      node.skipFinalSnapshot = false;
      if (!node.finalSnapshotIdentifierInput)
        node.finalSnapshotIdentifier = `${
          node.identifierInput ?? 'database'
        }-final`;
    } else if (node instanceof DynamodbTable) {
      node.deletionProtectionEnabled = true;
    }
  }
}
