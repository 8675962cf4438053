import fs from 'node:fs/promises';
import path from 'node:path';
import { mirrorTemplateRepository, TemplateReleases } from './releases';

/** Where a backend reads releases from: see {@link backendTemplateReleases}. */
export interface BackendReleasesOptions {
  /** The templates the backend renders (`paver.templates.dir`). */
  templatesDir: string;
  /** The git URL of the repository holding them, when the backend's copy has no git history. */
  repository?: string;
  /** Where the mirror of `repository` lives; one per process that reads it. */
  mirrorDir?: string;
  /** How stale the mirror may get before a read updates it. @default 300000 (5 minutes) */
  refreshMs?: number;
}

/**
 * The releases a backend reads: from the git repository holding `templatesDir` (a checkout, as on
 * embedded defaults), or, when `repository` is set (a production image ships templates without
 * their history), from a bare mirror of it at `mirrorDir`, cloned on first read and updated at
 * most every `refreshMs` (one update at a time; a failed update keeps the last mirror).
 */
export function backendTemplateReleases(
  options: BackendReleasesOptions,
): TemplateReleases {
  const templatesDir = path.resolve(options.templatesDir);
  const { repository } = options;
  if (!repository) {
    return new TemplateReleases({
      repoDir: path.dirname(templatesDir),
      templatesPath: path.basename(templatesDir),
    });
  }
  const mirrorDir = path.resolve(
    options.mirrorDir ??
      path.join(
        path.dirname(templatesDir),
        '.paver-data',
        'template-releases.git',
      ),
  );
  const refreshMs = options.refreshMs ?? 5 * 60_000;
  let updatedAt = 0;
  let updating: Promise<void> | undefined;
  const refresh = async () => {
    if (Date.now() - updatedAt < refreshMs) return;
    updating ??= mirrorTemplateRepository(repository, mirrorDir)
      .then(() => {
        updatedAt = Date.now();
      })
      .catch(async error => {
        // A mirror that exists stays usable while the git host is away; none at all cannot.
        if (!(await exists(path.join(mirrorDir, 'HEAD')))) throw error;
      })
      .finally(() => {
        updating = undefined;
      });
    await updating;
  };
  return new TemplateReleases({
    repoDir: mirrorDir,
    templatesPath: path.basename(templatesDir),
    beforeRead: refresh,
  });
}

/** The config keys a backend reads (Backstage's Config has this method). */
export interface ReleasesConfig {
  getOptionalString(key: string): string | undefined;
}

/**
 * {@link backendTemplateReleases} from a backend's config: `paver.templates.dir` (default
 * `../../templates`), `paver.templates.releases.repository`, and `.mirrorDir` (default
 * `.paver-data/template-releases` beside the templates), relative paths against `cwd`. `reader`
 * names the plugin, which gets a mirror of its own (`<mirrorDir>/<reader>.git`).
 */
export function templateReleasesFromConfig(
  config: ReleasesConfig,
  reader: string,
  cwd = process.cwd(),
): TemplateReleases {
  const templatesDir = path.resolve(
    cwd,
    config.getOptionalString('paver.templates.dir') ?? '../../templates',
  );
  const mirrorRoot = path.resolve(
    cwd,
    config.getOptionalString('paver.templates.releases.mirrorDir') ??
      path.join(path.dirname(templatesDir), '.paver-data', 'template-releases'),
  );
  return backendTemplateReleases({
    templatesDir,
    repository: config.getOptionalString('paver.templates.releases.repository'),
    mirrorDir: path.join(mirrorRoot, `${reader}.git`),
  });
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
