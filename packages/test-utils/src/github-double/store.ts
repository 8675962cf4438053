import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type {
  BranchProtectionBody,
  RepositoryShape,
  SimpleUser,
} from './shapes';

export interface RepoRecord {
  id: number;
  owner: SimpleUser;
  name: string;
  description: string | null;
  visibility: 'public' | 'private';
  topics: string[];
  createdAt: string;
  /** Git requests still to answer 404 before the bare repository appears (the git-404 fault). */
  git404Remaining: number;
  protections: Map<string, BranchProtectionBody>;
  teams: Map<string, string>;
  /** Its pull requests, numbered from 1 in the order they were opened. */
  pulls: PullRecord[];
}

/** A pull request as the double keeps it; its head and base are branches of the same repository. */
export interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  user: SimpleUser;
  createdAt: string;
  /** When it was closed or merged; null while open. */
  closedAt: string | null;
  /** When it was merged (closed as well then); null unless merged. */
  mergedAt: string | null;
  /** The merge commit on its base, once merged. */
  mergeCommitSha: string | null;
}

/** What a head branch adds to its base, as `git rev-list` and `git diff --numstat` count it. */
export interface BranchDiff {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

/** One entry of a directory in the bare repository, as `git ls-tree -l` lists it. */
export interface TreeEntry {
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  sha: string;
  /** Bytes for a blob, 0 otherwise. */
  size: number;
  name: string;
}

/** What a path holds at a ref of the bare repository. */
export type ContentAt =
  | { kind: 'file'; sha: string; content: Buffer }
  | { kind: 'dir'; entries: TreeEntry[] };

/** Accounts, teams, repositories and tokens of the double's GitHub, with bare repos on disk. */
export class GithubStore {
  readonly repos = new Map<string, RepoRecord>();
  private readonly tokens = new Map<string, { expired: boolean }>();
  private nextId = 1000;

  constructor(
    readonly gitRoot: string,
    readonly baseUrl: () => string,
    readonly authenticatedLogin: string,
    readonly orgs: Map<string, Set<string>>,
  ) {}

  issueToken(): string {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, { expired: false });
    return token;
  }

  tokenState(token: string | undefined): 'valid' | 'expired' | 'unknown' {
    const state = token === undefined ? undefined : this.tokens.get(token);
    if (!state) return 'unknown';
    return state.expired ? 'expired' : 'valid';
  }

  expireAllTokens(): void {
    for (const state of this.tokens.values()) state.expired = true;
  }

  account(login: string): SimpleUser | undefined {
    const lower = login.toLowerCase();
    const org = [...this.orgs.keys()].find(o => o.toLowerCase() === lower);
    if (org) return this.user(org, 'Organization');
    if (lower === this.authenticatedLogin.toLowerCase())
      return this.user(this.authenticatedLogin, 'User');
    return undefined;
  }

  user(login: string, type: 'User' | 'Organization'): SimpleUser {
    return {
      login,
      id: [...login].reduce((sum, c) => sum + c.charCodeAt(0), 0),
      node_id: `U_${login}`,
      type,
      html_url: `${this.baseUrl()}/${login}`,
      url: `${this.baseUrl()}/api/v3/users/${login}`,
    };
  }

  find(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  create(
    owner: SimpleUser,
    input: Pick<RepoRecord, 'name' | 'description' | 'visibility'>,
    git404: number,
  ): RepoRecord {
    const record: RepoRecord = {
      ...input,
      id: this.nextId++,
      owner,
      topics: [],
      createdAt: new Date().toISOString(),
      git404Remaining: git404,
      protections: new Map(),
      teams: new Map(),
      pulls: [],
    };
    this.repos.set(`${owner.login}/${input.name}`.toLowerCase(), record);
    if (git404 === 0) this.initBare(record);
    return record;
  }

  gitDir(record: RepoRecord): string {
    return path.join(this.gitRoot, record.owner.login, `${record.name}.git`);
  }

  initBare(record: RepoRecord): void {
    const dir = this.gitDir(record);
    if (fs.existsSync(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      dir,
    ]);
  }

  /** The branches the bare repository holds (what GitHub answers from). */
  branches(record: RepoRecord): string[] {
    const dir = this.gitDir(record);
    if (!fs.existsSync(dir)) return [];
    const out = execFileSync('git', [
      '--git-dir',
      dir,
      'for-each-ref',
      '--format=%(refname:short)',
      'refs/heads',
    ]);
    return out.toString().split('\n').filter(Boolean);
  }

  /** GitHub reports the first pushed branch as the default until someone changes it. */
  defaultBranch(record: RepoRecord): string {
    const dir = this.gitDir(record);
    if (!fs.existsSync(dir)) return 'main';
    // HEAD of a bare repository is a file naming its branch: read, not a git process per answer.
    const head = /^ref: refs\/heads\/(.+)$/m.exec(
      fs.readFileSync(path.join(dir, 'HEAD'), 'utf8'),
    )?.[1];
    if (head === undefined) return 'main';
    const branches = this.branches(record);
    return branches.includes(head) || branches.length === 0
      ? head
      : branches[0];
  }

  /**
   * The file or directory at `filePath` on `ref` (a branch, tag or commit) of the bare repository,
   * or undefined when the repository, the ref or the path does not exist.
   */
  contentAt(
    record: RepoRecord,
    ref: string,
    filePath: string,
  ): ContentAt | undefined {
    const dir = this.gitDir(record);
    // A ref starting with "-" would reach git as an option; cat-file reads one object a line.
    if (!fs.existsSync(dir) || ref.startsWith('-') || /\n/.test(ref + filePath))
      return undefined;
    const object = `${ref}:${filePath}`;
    // One process answers a file: its id, type, size and bytes (or "<object> missing").
    const out = execFileSync('git', ['--git-dir', dir, 'cat-file', '--batch'], {
      input: `${object}\n`,
      stdio: 'pipe',
    });
    const eol = out.indexOf(10);
    const header = /^([0-9a-f]+) (\w+) (\d+)$/.exec(
      out.subarray(0, eol).toString(),
    );
    if (!header) return undefined;
    const [, sha, type, size] = header;
    if (type === 'blob') {
      const content = out.subarray(eol + 1, eol + 1 + Number(size));
      return { kind: 'file', sha, content };
    }
    if (type !== 'tree') return undefined;
    const entries = this.git(record, 'ls-tree', '-l', '-z', object)
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, name] = line.split('\t');
        const [mode, entryType, entrySha, entrySize] = meta.split(/\s+/);
        return {
          type: entryType as TreeEntry['type'],
          mode,
          sha: entrySha,
          size: entrySize === '-' ? 0 : Number(entrySize),
          name,
        };
      });
    return { kind: 'dir', entries };
  }

  /**
   * Commits `files` (plain paths, mode 100644) as the first commit of `branch` straight into the
   * bare repository, one `git fast-import` and no work tree: seeding many repositories is cheap.
   */
  seedCommit(
    record: RepoRecord,
    branch: string,
    files: Iterable<[string, string | Buffer]>,
    message: string,
  ): void {
    const data = (content: string | Buffer) => {
      const bytes = Buffer.from(content);
      return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
    };
    const when = Math.floor(Date.now() / 1000);
    const stream = [
      Buffer.from(`commit refs/heads/${branch}\n`),
      Buffer.from(`committer Seed <seed@example.org> ${when} +0000\n`),
      ...data(message),
      ...[...files].flatMap(([file, content]) => [
        Buffer.from(`M 100644 inline ${file}\n`),
        ...data(content),
      ]),
    ];
    execFileSync(
      'git',
      ['--git-dir', this.gitDir(record), 'fast-import', '--quiet'],
      { input: Buffer.concat(stream), stdio: 'pipe' },
    );
  }

  /** Opens a pull request from `head` into `base` (both branches the caller has checked exist). */
  openPull(
    record: RepoRecord,
    input: Pick<PullRecord, 'title' | 'body' | 'head' | 'base' | 'draft'>,
  ): PullRecord {
    const pull: PullRecord = {
      ...input,
      id: this.nextId++,
      number: record.pulls.length + 1,
      state: 'open',
      user: this.user(this.authenticatedLogin, 'User'),
      createdAt: new Date().toISOString(),
      closedAt: null,
      mergedAt: null,
      mergeCommitSha: null,
    };
    record.pulls.push(pull);
    return pull;
  }

  /**
   * Merges `head` into `base` with a merge commit made in the bare repository (`git merge-tree`,
   * no work tree), moving `base` only if it still points where it did: the new commit, or
   * `conflict` when the two do not merge cleanly (nothing changes then).
   */
  mergeBranches(
    record: RepoRecord,
    base: string,
    head: string,
    message: string,
  ): { sha: string } | 'conflict' {
    const baseSha = this.branchSha(record, base);
    const headSha = this.branchSha(record, head);
    let tree: string;
    try {
      tree = this.git(record, 'merge-tree', '--write-tree', baseSha, headSha)
        .split('\n')[0]
        .trim();
    } catch {
      // Exit status 1: conflicts.
      return 'conflict';
    }
    const identity = this.user(this.authenticatedLogin, 'User').login;
    const sha = execFileSync(
      'git',
      [
        '--git-dir',
        this.gitDir(record),
        'commit-tree',
        tree,
        '-p',
        baseSha,
        '-p',
        headSha,
        '-m',
        message,
      ],
      {
        stdio: 'pipe',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: identity,
          GIT_AUTHOR_EMAIL: `${identity}@users.noreply.github.com`,
          GIT_COMMITTER_NAME: 'GitHub',
          GIT_COMMITTER_EMAIL: 'noreply@github.com',
        },
      },
    )
      .toString()
      .trim();
    this.git(record, 'update-ref', `refs/heads/${base}`, sha, baseSha);
    return { sha };
  }

  /** Deletes a branch, or answers false when there is no such branch. */
  deleteBranch(record: RepoRecord, branch: string): boolean {
    if (!this.branches(record).includes(branch)) return false;
    this.git(record, 'update-ref', '-d', `refs/heads/${branch}`);
    return true;
  }

  /** The commit a branch, tag or commit id names, or undefined. */
  resolveCommit(record: RepoRecord, ref: string): string | undefined {
    if (ref.startsWith('-') || /\s/.test(ref)) return undefined;
    try {
      return this.git(
        record,
        'rev-parse',
        '--verify',
        '--quiet',
        `${ref}^{commit}`,
      ).trim();
    } catch {
      return undefined;
    }
  }

  /** The commit a branch points at. */
  branchSha(record: RepoRecord, branch: string): string {
    return this.git(record, 'rev-parse', `refs/heads/${branch}`).trim();
  }

  /** What `head` adds to `base` since they parted (GitHub's three-dot comparison). */
  diff(record: RepoRecord, base: string, head: string): BranchDiff {
    const range = [`refs/heads/${base}`, `refs/heads/${head}`];
    const commits = Number(
      this.git(record, 'rev-list', '--count', range.join('..')),
    );
    const files = this.git(record, 'diff', '--numstat', range.join('...'))
      .split('\n')
      .filter(Boolean)
      .map(line => line.split('\t'));
    // Binary files count "-" lines.
    const sum = (column: number) =>
      files.reduce((total, f) => total + (Number(f[column]) || 0), 0);
    return {
      commits,
      additions: sum(0),
      deletions: sum(1),
      changedFiles: files.length,
    };
  }

  private git(record: RepoRecord, ...args: string[]): string {
    return execFileSync('git', ['--git-dir', this.gitDir(record), ...args], {
      stdio: 'pipe',
    }).toString();
  }

  shape(record: RepoRecord): RepositoryShape {
    const fullName = `${record.owner.login}/${record.name}`;
    return {
      id: record.id,
      node_id: `R_${record.id}`,
      name: record.name,
      full_name: fullName,
      owner: record.owner,
      private: record.visibility === 'private',
      visibility: record.visibility,
      description: record.description,
      html_url: `${this.baseUrl()}/${fullName}`,
      clone_url: `${this.baseUrl()}/${fullName}.git`,
      url: `${this.baseUrl()}/api/v3/repos/${fullName}`,
      topics: record.topics,
      default_branch: this.defaultBranch(record),
      created_at: record.createdAt,
    };
  }
}
