import fs from 'node:fs/promises';
import path from 'node:path';
import { TargetNotEmptyError } from './errors';
import { resolveSafeChildPath } from './paths';
import { renderToMemory, type RenderOptions } from './render';
import type { LoadedTemplate } from './template';

/** Progress of {@link renderTemplate}, for CLIs that print each step. */
export type RenderProgress =
  | { step: 'rendered'; fileCount: number }
  | { step: 'written'; targetDir: string; fileCount: number };

/** Options for {@link renderTemplate}. */
export interface RenderTemplateOptions extends Pick<RenderOptions, 'platform'> {
  /** Folder to create. It must not exist, or be empty. */
  targetDir: string;
  onProgress?: (event: RenderProgress) => void;
}

/** What {@link renderTemplate} wrote. */
export interface RenderResult {
  targetDir: string;
  /** Relative paths written, sorted. */
  files: string[];
}

/**
 * Renders the template fully in memory, then writes it to a temporary sibling folder and
 * renames that into place: on any error, the target is left as it was.
 */
export async function renderTemplate(
  template: LoadedTemplate,
  answers: unknown,
  options: RenderTemplateOptions,
): Promise<RenderResult> {
  const files = renderToMemory(template, answers, {
    platform: options.platform,
  });
  options.onProgress?.({ step: 'rendered', fileCount: files.size });
  const targetDir = path.resolve(options.targetDir);
  await writeIntoPlace(targetDir, staging => writeTree(staging, files));
  options.onProgress?.({ step: 'written', targetDir, fileCount: files.size });
  return { targetDir, files: [...files.keys()] };
}

/**
 * Lets `fill` write a folder's contents into a temporary sibling, then renames it to
 * `targetDir` (which must not exist, or be empty): on any error the target is left as it was
 * and the sibling removed. The CLI uses it around the Yeoman generator too.
 */
export async function writeIntoPlace(
  targetDir: string,
  fill: (staging: string) => Promise<void>,
): Promise<void> {
  const targetExists = await assertEmptyOrMissing(targetDir);
  await fs.mkdir(path.dirname(targetDir), { recursive: true });
  // A sibling, so the final rename stays on one filesystem.
  const staging = await fs.mkdtemp(
    path.join(path.dirname(targetDir), `.${path.basename(targetDir)}.paver-`),
  );
  try {
    await fill(staging);
    await fs.chmod(staging, 0o755);
    if (targetExists) await fs.rmdir(targetDir);
    await fs.rename(staging, targetDir);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Writes an in-memory tree below `root`, each path checked to stay inside it. */
export async function writeTree(
  root: string,
  files: Map<string, Buffer>,
): Promise<void> {
  const resolved = [...files].map(
    ([rel, content]) => [resolveSafeChildPath(root, rel), content] as const,
  );
  for (const [full, content] of resolved) {
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content, { flag: 'wx' });
  }
}

async function assertEmptyOrMissing(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (entries.length > 0) {
    throw new TargetNotEmptyError(`target ${dir} exists and is not empty`);
  }
  return true;
}
