import { App } from '../cdk';
import { DEFAULT_STATE_BUCKET } from '../domain-service/ci-identity';
import { InvalidPropsError } from '../errors';
import { readCatalogApi } from './catalog-api';
import { readCatalogFolder } from './catalog-files';
import type { CatalogEntity } from './entities';
import { planPlatform } from './plan';
import { ComponentStack, TeamsStack } from './stacks';

/** Options of {@link synthPlatform}: exactly one of catalogDir and catalogUrl. */
export interface SynthPlatformOptions {
  /** A folder of catalog YAML (e.g. the repository's `catalog/`). */
  readonly catalogDir?: string;
  /** A Backstage base URL whose catalog API is read instead. */
  readonly catalogUrl?: string;
  /** Bearer token for the catalog API. @default none */
  readonly catalogToken?: string;
  /** Where the synthesized stacks go (`<outdir>/stacks/<stack>/cdk.tf.json`). */
  readonly outdir: string;
  /** @default 'paver' */
  readonly githubOrg?: string;
  /** @default 'eu-west-1' */
  readonly awsRegion?: string;
  /** @default DEFAULT_STATE_BUCKET */
  readonly stateBucket?: string;
  /** @default read at plan time from aws_caller_identity */
  readonly awsAccountId?: string;
  /** Local state and no AWS calls, for plans without credentials. @default false */
  readonly offline?: boolean;
  /** The EKS cluster's OIDC issuer; unset: no runtime roles. @default none */
  readonly eksOidcIssuer?: string;
  /** @default 'default' */
  readonly k8sNamespace?: string;
}

export interface SynthPlatformResult {
  /** Stack names, the teams stack first. */
  readonly stacks: readonly string[];
  readonly outdir: string;
}

/** The stack that holds every team; component stacks depend on it. */
export const TEAMS_STACK = 'platform-teams';

/**
 * Reads the catalog and synthesizes one stack per Component (repository, owner team access, CI
 * roles) plus one stack of teams. Throws CatalogEntityError naming every entity that cannot be built.
 */
export async function synthPlatform(
  options: SynthPlatformOptions,
): Promise<SynthPlatformResult> {
  const entities = await readEntities(options);
  const plan = planPlatform(entities);
  const settings = {
    githubOrg: options.githubOrg ?? 'paver',
    awsRegion: options.awsRegion ?? 'eu-west-1',
    stateBucket: options.stateBucket ?? DEFAULT_STATE_BUCKET,
    awsAccountId: options.awsAccountId,
    offline: options.offline ?? false,
    eksOidcIssuer: options.eksOidcIssuer,
    k8sNamespace: options.k8sNamespace,
  };
  const app = new App({ outdir: options.outdir });
  const teams = new TeamsStack(app, TEAMS_STACK, plan.teams, settings);
  const stacks = [TEAMS_STACK];
  for (const component of plan.components) {
    const name =
      `component-${component.namespace}-${component.name}`.toLowerCase();
    new ComponentStack(app, name, component, settings).addDependency(teams);
    stacks.push(name);
  }
  app.synth();
  return { stacks, outdir: options.outdir };
}

async function readEntities(
  options: SynthPlatformOptions,
): Promise<CatalogEntity[]> {
  if (!options.outdir)
    throw new InvalidPropsError('synthPlatform: outdir is required');
  if (Boolean(options.catalogDir) === Boolean(options.catalogUrl)) {
    throw new InvalidPropsError(
      'synthPlatform: give exactly one of catalogDir and catalogUrl',
    );
  }
  return options.catalogDir
    ? readCatalogFolder(options.catalogDir)
    : readCatalogApi({
        baseUrl: options.catalogUrl!,
        token: options.catalogToken,
      });
}
