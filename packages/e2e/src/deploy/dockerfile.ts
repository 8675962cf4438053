import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { REPO_ROOT } from '../backend/backendProcess';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  /** Upper-cased: FROM, RUN, COPY, USER, CMD, ... */
  keyword: string;
  /** Everything after the keyword, as written. */
  args: string;
  /** 1-based line of the keyword, for messages. */
  line: number;
}

export interface CopyInstruction {
  /** The stage named by --from, or undefined for the build context. */
  from?: string;
  sources: string[];
  destination: string;
  line: number;
}

export interface Stage {
  /** The stage's AS name, or its index when it has none. */
  name: string;
  image: string;
  instructions: Instruction[];
}

/**
 * Parses a Dockerfile the way the builder reads it: comments and parser directives skipped,
 * backslash continuations joined (comment lines inside a continuation dropped), each instruction
 * with its line. Stages start at FROM.
 */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const start = i + 1;
    let joined = first;
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      joined = joined.slice(0, -1);
      // Comment and empty lines inside a continuation are dropped, not the continuation's end.
      let next = '';
      do {
        i++;
        next = lines[i].trim();
      } while ((next === '' || next.startsWith('#')) && i + 1 < lines.length);
      joined += ` ${next}`;
    }
    const match = /^(\S+)\s*(.*)$/s.exec(joined)!;
    instructions.push({
      keyword: match[1].toUpperCase(),
      args: match[2].replace(/\s+/g, ' ').trim(),
      line: start,
    });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args
        .split(' ')
        .filter(word => !word.startsWith('--platform'));
      stages.push({
        name: as?.toUpperCase() === 'AS' ? name : String(stages.length),
        image,
        instructions: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    } else if (instruction.keyword !== 'ARG') {
      throw new Error(
        `line ${instruction.line}: ${instruction.keyword} before the first FROM`,
      );
    }
  }
  return stages;
}

/** A COPY (or ADD) in shell or JSON form: its --from, sources and destination. */
export function parseCopy(instruction: Instruction): CopyInstruction {
  const words = splitArgs(instruction.args);
  let from: string | undefined;
  const operands: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (!word.startsWith('--')) operands.push(word);
  }
  if (operands.length < 2) {
    throw new Error(
      `line ${instruction.line}: COPY needs a source and a destination`,
    );
  }
  return {
    from,
    sources: operands.slice(0, -1),
    destination: operands[operands.length - 1],
    line: instruction.line,
  };
}

/** CMD or ENTRYPOINT in exec (JSON) form; undefined for the shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  if (!instruction.args.startsWith('[')) return undefined;
  return JSON.parse(instruction.args) as string[];
}

function splitArgs(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  // Flags first, then the operands in the JSON form: COPY --chown=a:b ["src", "dest"].
  const json = args.indexOf('[');
  if (json > 0 && args.trimEnd().endsWith(']')) {
    return [
      ...args.slice(0, json).trim().split(' '),
      ...(JSON.parse(args.slice(json)) as string[]),
    ];
  }
  return args.split(' ').filter(Boolean);
}

/**
 * `.dockerignore` as the builder applies it: each line a pattern relative to the context root
 * (Go's filepath.Match plus `**` for any number of folders), `!` re-includes, the last matching
 * line wins, and a path is excluded when it or a folder above it matches.
 */
export class DockerIgnore {
  private readonly rules: { exclude: boolean; pattern: RegExp }[];

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map(line => line.trim())
      .filter(line => line !== '' && !line.startsWith('#'))
      .map(line => {
        const exclude = !line.startsWith('!');
        const body = posix.normalize(
          (exclude ? line : line.slice(1)).trim().replace(/^\/+/, ''),
        );
        return { exclude, pattern: globToRegExp(body) };
      });
  }

  static fromRepository(): DockerIgnore {
    const file = join(REPO_ROOT, '.dockerignore');
    return new DockerIgnore(existsSync(file) ? readFileSync(file, 'utf8') : '');
  }

  /** Whether the context leaves this path (relative to the repository root, `/`-separated) out. */
  ignores(path: string): boolean {
    const parts = posix.normalize(path).split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      if (this.matches(parts.slice(0, depth).join('/'))) return true;
    }
    return false;
  }

  /** Whether any negation could bring back a path below an excluded folder. */
  get hasExceptions(): boolean {
    return this.rules.some(rule => !rule.exclude);
  }

  private matches(path: string): boolean {
    let excluded = false;
    for (const rule of this.rules) {
      if (rule.pattern.test(path)) excluded = rule.exclude;
    }
    return excluded;
  }
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` is anything below.
      if (glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * The files `docker build .` would send from the repository root: every file not excluded by
 * .dockerignore, relative and `/`-separated. Excluded folders are not walked (node_modules).
 */
export function buildContextFiles(
  ignore = DockerIgnore.fromRepository(),
): string[] {
  const files: string[] = [];
  const walk = (relativeDir: string): void => {
    const dir = join(REPO_ROOT, relativeDir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const excluded = ignore.ignores(path);
      if (entry.isDirectory()) {
        if (!excluded || ignore.hasExceptions) walk(path);
      } else if (!excluded) {
        files.push(path);
      }
    }
  };
  walk('');
  return files.sort();
}

/** Copies the build context into a folder, as the build stage's `COPY . .` would. */
export function copyBuildContext(
  target: string,
  files = buildContextFiles(),
): void {
  for (const file of files) {
    const destination = join(target, file);
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), destination);
  }
}

/** The paths of the build context a COPY source selects (a glob, a file or a folder). */
export function contextMatches(source: string, files: string[]): string[] {
  const normalized = posix
    .normalize(source.replace(/^\.\//, ''))
    .replace(/\/$/, '');
  if (normalized === '.') return files;
  const pattern = globToRegExp(normalized);
  // A file is selected when the source names it or a folder above it.
  return files.filter(file =>
    file
      .split('/')
      .some((_, i, parts) => pattern.test(parts.slice(0, i + 1).join('/'))),
  );
}
