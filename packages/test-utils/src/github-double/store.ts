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
    const head = execFileSync('git', [
      '--git-dir',
      dir,
      'symbolic-ref',
      '--short',
      'HEAD',
    ])
      .toString()
      .trim();
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
    // A ref starting with "-" would reach git as an option.
    if (!fs.existsSync(dir) || ref.startsWith('-')) return undefined;
    const object = `${ref}:${filePath}`;
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', dir, ...args], { stdio: 'pipe' });
    let type: string;
    try {
      type = git('cat-file', '-t', object).toString().trim();
    } catch {
      return undefined;
    }
    if (type === 'blob') {
      const sha = git('rev-parse', object).toString().trim();
      return { kind: 'file', sha, content: git('cat-file', 'blob', sha) };
    }
    if (type !== 'tree') return undefined;
    const entries = git('ls-tree', '-l', '-z', object)
      .toString()
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, name] = line.split('\t');
        const [mode, entryType, sha, size] = meta.split(/\s+/);
        return {
          type: entryType as TreeEntry['type'],
          mode,
          sha,
          size: size === '-' ? 0 : Number(size),
          name,
        };
      });
    return { kind: 'dir', entries };
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
