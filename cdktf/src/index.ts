/**
 * Paver's cdktf constructs: {@link DomainService} and its parts, the organisation rules as Aspects,
 * {@link ServiceStack}, and the platform app that synthesizes one stack per catalog Component.
 *
 * @packageDocumentation
 */
export { DomainService } from './domain-service/domain-service';
export {
  DATASTORES,
  LIFECYCLES,
  validateDomainServiceProps,
} from './domain-service/props';
export type {
  DatabaseOptions,
  Datastore,
  DomainServiceProps,
  Lifecycle,
  ProvisionOptions,
} from './domain-service/props';
export {
  ServiceRepository,
  PRODUCTION_ENVIRONMENT,
  DEFAULT_REQUIRED_CHECKS,
} from './domain-service/repository';
export type { ServiceRepositoryProps } from './domain-service/repository';
export { ServiceDatastore } from './domain-service/datastore';
export type { ServiceDatastoreProps } from './domain-service/datastore';
export {
  GeneratedSecret,
  StoredSecret,
  generatedValue,
} from './domain-service/secrets';
export type {
  GeneratedSecretProps,
  StoredSecretProps,
} from './domain-service/secrets';
export {
  CiIdentity,
  DEFAULT_STATE_BUCKET,
  GITHUB_OIDC_HOST,
} from './domain-service/ci-identity';
export type { CiIdentityProps } from './domain-service/ci-identity';
export { RuntimeIdentity } from './domain-service/runtime-identity';
export type { RuntimeIdentityProps } from './domain-service/runtime-identity';
export * from './aspects';
export { ServiceStack } from './stack';
export type { ServiceStackProps } from './stack';
export * from './errors';
export * from './naming';
export { synthPlatform } from './platform/synth-platform';
export type {
  SynthPlatformOptions,
  SynthPlatformResult,
} from './platform/synth-platform';
// A generated service builds its app from here alone, so a move to cdktn is an upgrade of this package.
export { App, Testing } from './cdk';
