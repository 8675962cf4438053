import { Command, CommanderError } from 'commander';
import { GoldenPathError } from '@paver/golden-path';
import path from 'node:path';
import { apiSource } from './catalog/apiSource';
import { folderSource } from './catalog/source';
import { catalogValidate } from './commands/catalogValidate';
import { dev } from './commands/dev';
import { infraSynth } from './commands/infraSynth';
import { newService } from './commands/new';
import { sloGenerate } from './commands/sloGenerate';
import { templateList } from './commands/templateList';
import { templateRelease } from './commands/templateRelease';
import { templateTest } from './commands/templateTest';
import { upgrade } from './commands/upgrade';
import { whoOwns } from './commands/whoOwns';
import { CliError, UsageError } from './errors';
import { CliIo } from './io';
import {
  EMBEDDED_PORTAL_REGISTRY,
  givenPlatformSettings,
  platformSettings,
} from './platform';
import { askInTerminal } from './prompts';
import { CLI_REPO_ROOT, displayPath, findRepoRoot } from './repoRoot';
import { findTemplatesRoot } from './templatesRoot';

const collect = (value: string, previous: string[]) => [...previous, value];

/** The `paver` program; commands write to `io`, so tests can run it in process. */
export function createProgram(io: CliIo): Command {
  const program = new Command('paver')
    .description(
      'Paver: new services from golden paths, ownership lookups, SLO rules, infra synth',
    )
    .option('--debug', 'show stack traces and Yeoman logs')
    .exitOverride()
    .configureOutput({
      writeOut: s => io.stdout.write(s),
      writeErr: s => io.stderr.write(s),
    });
  const root = (dir?: string) => (dir ? dir : findTemplatesRoot(io.cwd));

  const newCommand = program
    .command('new <template>')
    .description('create a service from a golden path')
    .option('--answers <file>', 'answers file (YAML)')
    .option(
      '--set <key=value>',
      'one answer; repeatable, wins over --answers',
      collect,
      [],
    )
    .option('--target <dir>', 'folder to create (default: ./<name>)')
    .option(
      '--version <version>',
      'create from this released version (the <template>@<version> tag) instead of the working copy',
    )
    .option(
      '--templates <dir>',
      'templates folder (default: the repository templates/)',
    );
  withPlatformOptions(newCommand).action((name: string, opts) =>
    newService(
      name,
      {
        ...opts,
        templatesRoot: root(opts.templates),
        platform: platformSettings(opts, io.env),
        debug: program.opts().debug,
      },
      io,
    ),
  );

  const template = program
    .command('template')
    .description('work on golden paths');
  template
    .command('list')
    .description('list golden paths: name, version, title, description')
    .option('--templates <dir>', 'templates folder')
    .action(opts => templateList(root(opts.templates), io));
  const templateTestCommand = template
    .command('test [names...]')
    .description(
      'render each template with fixtures/answers.yaml, then npm install, build and test it',
    )
    .option('--templates <dir>', 'templates folder');
  withPlatformOptions(templateTestCommand).action((names: string[], opts) =>
    templateTest(
      root(opts.templates),
      names,
      platformSettings(opts, io.env),
      io,
    ),
  );

  const upgradeCommand = program
    .command('upgrade')
    .description(
      'move the service in this folder to a newer version of its golden path (three-way merge per file)',
    )
    .option(
      '--to <version>',
      'released version to move to (default: the newest)',
    )
    .option(
      '--template-dir <dir>',
      'move to this template folder instead of a release (an unreleased version)',
    )
    .option(
      '--set <key=value>',
      'answer a new question; repeatable',
      collect,
      [],
    )
    .option('--dry-run', 'print what would change; write nothing')
    .option(
      '--repo <dir>',
      'the service repository (default: the current folder)',
    )
    .option(
      '--templates <dir>',
      "templates folder of the git repository whose tags are the releases (default: this CLI's)",
    );
  withPlatformOptions(upgradeCommand).action(async opts => {
    await upgrade(
      {
        ...opts,
        templatesRoot: opts.templates ?? path.join(CLI_REPO_ROOT, 'templates'),
        givenPlatform: givenPlatformSettings(opts, io.env),
        platform: platformSettings(opts, io.env),
      },
      io,
    );
  });

  const templateReleaseCommand = template
    .command('release <name> <version>')
    .description(
      'check the changelog, version, fixtures and tests (upgrade path included), then tag <name>@<version>',
    )
    .option('--templates <dir>', 'templates folder');
  withPlatformOptions(templateReleaseCommand).action(
    (name: string, version: string, opts) =>
      templateRelease(
        {
          templatesRoot: root(opts.templates),
          name,
          version,
          platform: platformSettings(opts, io.env),
        },
        io,
      ),
  );

  program
    .command('who-owns <service>')
    .description(
      'owner, members, on-call, runbook, SLO and dependencies of a Component, API or System',
    )
    .option(
      '--catalog <dir>',
      'catalog folder (default: the repository catalog/)',
    )
    .option(
      '--catalog-url <url>',
      'read a Backstage catalog API instead (e.g. http://localhost:7007, the embedded portal)',
    )
    .option(
      '--token <token>',
      'bearer token for --catalog-url (default: env PAVER_CATALOG_TOKEN)',
    )
    .option('--json', 'print the report as JSON')
    .option(
      '--at <instant>',
      'who is on call at this ISO-8601 instant instead of now, e.g. 2026-03-09T02:00:00Z',
    )
    .action(async (service: string, opts) => {
      const catalog = catalogOptions(opts, io);
      const source = catalog.catalogUrl
        ? apiSource({ baseUrl: catalog.catalogUrl, token: catalog.token })
        : await folderSource(
            catalog.catalogDir,
            displayPath(io.cwd, catalog.catalogDir, true),
          );
      await whoOwns(service, source, { json: opts.json, at: opts.at }, io);
    });

  program
    .command('catalog')
    .description('catalog YAML')
    .command('validate [paths...]')
    .description(
      'check catalog files or folders as the catalog would, plus the rules the on-call relies on (default: ./catalog-info.yaml, else the repository catalog/); exit 1 on any problem',
    )
    .option(
      '--catalog <dir>',
      'entities that owners and refs may point at, outside the paths (default: the repository catalog/)',
    )
    .action((paths: string[], opts) =>
      catalogValidate({ paths, catalog: opts.catalog }, io),
    );

  program
    .command('slo')
    .description('service level objectives as code')
    .command('generate [file]')
    .description(
      'Prometheus recording rules and burn-rate alerts from an OpenSLO file (default slo.yaml)',
    )
    .option(
      '--out <file>',
      'rule file to write (default: slo-rules.yaml beside it)',
    )
    .option('--check', 'write nothing; exit 1 when the rule file is stale')
    .action((file: string | undefined, opts) =>
      sloGenerate({ file, out: opts.out, check: opts.check }, io),
    );

  const infra = program
    .command('infra')
    .description('infrastructure with cdktf');
  infra
    .command('synth')
    .description(
      'synthesize one cdktf stack per catalog Component (plus the teams stack)',
    )
    .option(
      '--catalog <dir>',
      'catalog folder (default: the repository catalog/)',
    )
    .option('--catalog-url <url>', 'read a Backstage catalog API instead')
    .option(
      '--token <token>',
      'bearer token for --catalog-url (default: env PAVER_CATALOG_TOKEN)',
    )
    .option('--out <dir>', 'output folder', 'cdktf.out')
    .action(opts =>
      infraSynth(
        {
          ...catalogOptions(opts, io),
          // The platform app this CLI ships with, whichever catalog it reads.
          repoRoot: CLI_REPO_ROOT,
          outdir: path.resolve(io.cwd, opts.out),
          debug: program.opts().debug,
        },
        io,
      ),
    );
  program
    .command('dev')
    .description(
      'run the services of a stack file together on this machine: their own PostgreSQL databases, NATS, a mail sink, each process as its Deployment runs it',
    )
    .option('--file <file>', 'stack file (default: ./paver-dev.yaml)')
    .option(
      '--otlp <url>',
      "OTLP/HTTP endpoint for the services' traces (default: none exported)",
    )
    .option('--no-build', 'start what is built: no npm ci, no npm run build')
    .action(opts =>
      dev({ file: opts.file, otlp: opts.otlp, build: opts.build }, io, {
        input: process.stdin,
        stopped: terminationSignal(),
      }),
    );
  return program;
}

/** Resolves at the first Ctrl-C or SIGTERM, which then no longer ends the process at once. */
function terminationSignal(): Promise<NodeJS.Signals> {
  return new Promise(resolve => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => resolve(signal));
  });
}

/** The organisation settings a render needs; see platform.ts for the defaults. */
function withPlatformOptions(command: Command): Command {
  return command
    .option(
      '--npm-registry <url>',
      `registry for @paver/* in the new .npmrc (default: env PAVER_NPM_REGISTRY, else ${EMBEDDED_PORTAL_REGISTRY})`,
    )
    .option(
      '--dashboard-url <pattern>',
      'dashboard link, {name} for the service (default: env PAVER_DASHBOARD_URL, else none)',
    )
    .option(
      '--github-org <org>',
      'GitHub organisation whose teams own repositories, for CODEOWNERS (default: env PAVER_GITHUB_ORG, else none)',
    );
}

/** `--catalog`, `--catalog-url` and `--token` as paths and values; the env token is the fallback. */
function catalogOptions(
  opts: { catalog?: string; catalogUrl?: string; token?: string },
  io: CliIo,
) {
  if (opts.catalog && opts.catalogUrl)
    throw new UsageError('give --catalog or --catalog-url, not both');
  const catalogDir = path.resolve(
    io.cwd,
    opts.catalog ?? path.join(findRepoRoot(io.cwd), 'catalog'),
  );
  return {
    catalogDir,
    catalogUrl: opts.catalogUrl,
    token: opts.token || io.env?.PAVER_CATALOG_TOKEN || undefined,
  };
}

/** Runs the CLI; returns the exit code. Known errors print one line; `--debug` adds the stack. */
export async function main(
  argv: string[],
  io: CliIo = processIo(),
): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const debug = argv.includes('--debug');
    // The engine's errors and the CLI's own: both say what went wrong in their message.
    const known = error instanceof GoldenPathError || error instanceof CliError;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `paver: ${known ? '' : 'unexpected error: '}${message.split('\n')[0]}\n`,
    );
    if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    else if (!known)
      io.stderr.write('(run with --debug for the stack trace)\n');
    return 1;
  }
}

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: askInTerminal,
  };
}
