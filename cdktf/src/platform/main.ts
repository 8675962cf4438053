/**
 * `node cdktf/dist/platform/main.js [--catalog-dir DIR | --catalog-url URL] [--outdir DIR] [--offline]`
 * Synthesizes the platform stacks from the catalog. Settings come from flags, then environment:
 * PAVER_GITHUB_ORG, PAVER_AWS_REGION, PAVER_STATE_BUCKET, PAVER_AWS_ACCOUNT_ID,
 * PAVER_EKS_OIDC_ISSUER and PAVER_K8S_NAMESPACE (the cluster the services run in, for their
 * runtime roles), and PAVER_CATALOG_TOKEN (a bearer token for the catalog API; never printed).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PaverCdktfError } from '../errors';
import { synthPlatform, type SynthPlatformOptions } from './synth-platform';

/** Reads flags and environment into synthPlatform options; exported for tests. */
export function optionsFromCommandLine(
  argv: string[],
  env: NodeJS.ProcessEnv,
): SynthPlatformOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'catalog-dir': { type: 'string' },
      'catalog-url': { type: 'string' },
      outdir: { type: 'string', default: 'cdktf.out' },
      offline: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const catalogUrl = values['catalog-url'];
  return {
    catalogUrl,
    // Without a URL, the repository's own catalog/ (dist/platform/main.js is three levels below the root).
    catalogDir: catalogUrl
      ? undefined
      : values['catalog-dir'] ?? path.resolve(__dirname, '../../../catalog'),
    catalogToken: env.PAVER_CATALOG_TOKEN || undefined,
    outdir: path.resolve(values.outdir!),
    githubOrg: env.PAVER_GITHUB_ORG || undefined,
    awsRegion: env.PAVER_AWS_REGION || undefined,
    stateBucket: env.PAVER_STATE_BUCKET || undefined,
    awsAccountId: env.PAVER_AWS_ACCOUNT_ID || undefined,
    eksOidcIssuer: env.PAVER_EKS_OIDC_ISSUER || undefined,
    k8sNamespace: env.PAVER_K8S_NAMESPACE || undefined,
    offline: values.offline,
  };
}

async function main(): Promise<void> {
  const result = await synthPlatform(
    optionsFromCommandLine(process.argv.slice(2), process.env),
  );
  process.stdout.write(
    `synthesized ${result.stacks.length} stacks into ${
      result.outdir
    }: ${result.stacks.join(', ')}\n`,
  );
}

// Guarded: under a test runner's module loader there is no CommonJS `module`.
if (typeof module !== 'undefined' && require.main === module) {
  main().catch(error => {
    // Our errors are for people: print the message. Anything else is a bug: print the stack.
    process.stderr.write(
      `${
        error instanceof PaverCdktfError ? error.message : error?.stack ?? error
      }\n`,
    );
    process.exitCode = 1;
  });
}
