import { promises as fs } from 'node:fs';
import path from 'node:path';
import { absolutePathOf, displayPath, isInside } from '../load';
import { fieldPath, WHOLE_FILE, type CatalogProblem } from '../problems';
import type { LoadedCatalog, LoadedEntity } from '../types';
import { asRecord, problemAt, stringsOf } from './common';

const URL_LIKE = /^[a-z][a-z0-9+.-]+:/i;
const GLOB = /[*?[\]{}]/;

/**
 * Location targets must be relative files that exist inside the catalog folder, and every YAML
 * file must be reachable from some Location, or the backend would never load it.
 */
export async function locationProblems(
  loaded: LoadedCatalog,
): Promise<CatalogProblem[]> {
  const realRoot = await fs.realpath(loaded.root);
  const locations = loaded.entities.filter(
    item => item.entity.kind.toLowerCase() === 'location',
  );
  const problems: CatalogProblem[] = [];
  const targeted = new Set<string>();
  for (const item of locations) {
    for (const { target, field, optional } of targetsOf(item)) {
      const checked = await checkTarget(
        loaded,
        realRoot,
        item.file,
        target,
        optional,
      );
      if ('problem' in checked) {
        problems.push(problemAt(item, field, checked.problem));
      } else {
        targeted.add(checked.file);
      }
    }
  }
  if (locations.length > 0) {
    problems.push(...unreachableFiles(loaded, locations, targeted));
  }
  return problems;
}

interface Target {
  target: string;
  field: string;
  optional: boolean;
}

function targetsOf(item: LoadedEntity): Target[] {
  const spec = asRecord(item.entity.spec) ?? {};
  const optional = spec.presence === 'optional';
  return [
    ...stringsOf(spec.target).map(([target]) => ({
      target,
      field: 'spec.target',
      optional,
    })),
    ...stringsOf(spec.targets).map(([target, index]) => ({
      target,
      field: fieldPath(['spec', 'targets', index ?? 0]),
      optional,
    })),
  ];
}

type Checked = { file: string } | { problem: string };

async function checkTarget(
  loaded: LoadedCatalog,
  realRoot: string,
  locationFile: string,
  target: string,
  optional: boolean,
): Promise<Checked> {
  const shapeProblem = targetShapeProblem(target);
  if (shapeProblem) {
    return { problem: shapeProblem };
  }
  const resolved = path.resolve(
    path.dirname(absolutePathOf(loaded, locationFile)),
    target,
  );
  if (!isInside(loaded.root, resolved)) {
    return { problem: `"${target}" leaves the catalog folder` };
  }
  const file = displayPath(loaded.root, resolved);
  let real: string;
  try {
    real = await fs.realpath(resolved);
  } catch {
    return optional
      ? { file }
      : { problem: `"${target}" does not exist (looked for ${file})` };
  }
  if (!isInside(realRoot, real)) {
    return {
      problem: `"${target}" is a symlink that leaves the catalog folder`,
    };
  }
  if (!loaded.files.includes(file)) {
    return {
      problem: `"${target}" is not a .yaml/.yml file in the catalog folder`,
    };
  }
  return { file };
}

function targetShapeProblem(target: string): string | undefined {
  if (target.includes('\0')) {
    return 'a target must not contain a NUL byte';
  }
  if (path.isAbsolute(target) || path.win32.isAbsolute(target)) {
    return `"${target}" must be a path relative to the Location file, not an absolute path`;
  }
  if (URL_LIKE.test(target)) {
    return `"${target}" must be a path inside the catalog folder, not a URL`;
  }
  // The backend's toAbsoluteUrl resolves a file target against the Location only when it starts
  // with "."; `groups/x.yaml` would be looked up from the backend's working folder instead.
  if (!target.startsWith('./') && !target.startsWith('../')) {
    return `"${target}" must start with ./ or ../ so the backend resolves it from the Location file`;
  }
  if (GLOB.test(target)) {
    return `"${target}" is a glob; list each file so it can be checked`;
  }
  return undefined;
}

function unreachableFiles(
  loaded: LoadedCatalog,
  locations: readonly LoadedEntity[],
  targeted: ReadonlySet<string>,
): CatalogProblem[] {
  // A file holding a Location that nothing targets is a root, registered in app-config.
  const roots = new Set(locations.map(item => item.file));
  return loaded.files
    .filter(file => !targeted.has(file) && !roots.has(file))
    .map(file => ({
      file,
      field: WHOLE_FILE,
      message:
        'is not listed by any Location, so the catalog backend never loads it',
    }));
}
