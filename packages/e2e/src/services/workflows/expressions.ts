import { UnsupportedExpressionError } from './errors';

/** The `github` context values the local runner knows; GitHub's own names. */
export interface GithubValues {
  repository: string;
  repository_owner: string;
  sha: string;
  ref: string;
  event_name: string;
}

/** What an expression can read. `env` is absent where GitHub offers no env context (a job's `if:`). */
export interface ExpressionContext {
  github: GithubValues;
  vars: Readonly<Record<string, string>>;
  env?: Readonly<Record<string, string>>;
}

type Value = string | boolean;

const GITHUB_KEYS: readonly string[] = [
  'repository',
  'repository_owner',
  'sha',
  'ref',
  'event_name',
];

/** Replaces every `${{ … }}` in `text` with its value; `where` names the spot for errors. */
export function interpolate(
  text: string,
  context: ExpressionContext,
  where: string,
): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) =>
    String(evaluate(inner, context, where)),
  );
}

/** An `if:` condition (bare or wrapped in `${{ }}`), as GitHub reads it: truthy or not. */
export function evaluateCondition(
  condition: string | boolean,
  context: ExpressionContext,
  where: string,
): boolean {
  if (typeof condition === 'boolean') return condition;
  const wrapped = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return truthy(evaluate(wrapped ? wrapped[1] : condition, context, where));
}

/** Does `text` hold an expression that reads `context.`? (`secrets`, say), without evaluating it. */
export function referencesContext(text: string, contextName: string): boolean {
  const reference = new RegExp(`(^|[^\\w.])${contextName}\\s*[.[]`);
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].some(([, inner]) =>
    reference.test(inner),
  );
}

function evaluate(
  expression: string,
  context: ExpressionContext,
  where: string,
): Value {
  const source = expression.trim();
  const fail = (detail: string): never => {
    throw new UnsupportedExpressionError(source, where, detail);
  };
  const parser = new Parser(tokenize(source, fail), context, fail);
  return parser.parseWhole();
}

type Token =
  | { kind: 'op'; text: '(' | ')' | '==' | '!=' | '&&' | '||' }
  | { kind: 'string'; value: string }
  | { kind: 'path'; text: string };

const OPERATORS = ['==', '!=', '&&', '||', '(', ')'] as const;

function tokenize(source: string, fail: (detail: string) => never): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    const operator = OPERATORS.find(op => rest.startsWith(op));
    const literal = /^'((?:[^']|'')*)'/.exec(rest);
    const path = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*/.exec(rest);
    if (space) {
      at += space[0].length;
    } else if (operator) {
      tokens.push({ kind: 'op', text: operator });
      at += operator.length;
    } else if (literal) {
      tokens.push({ kind: 'string', value: literal[1].replace(/''/g, "'") });
      at += literal[0].length;
    } else if (path) {
      tokens.push({ kind: 'path', text: path[0] });
      at += path[0].length;
    } else {
      return fail(`unexpected "${rest[0]}" at position ${at}`);
    }
  }
  return tokens;
}

/** Recursive descent over `or := and ('||' and)*`, `and := cmp ('&&' cmp)*`, `cmp := primary (('=='|'!=') primary)?`. */
class Parser {
  private at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly context: ExpressionContext,
    private readonly fail: (detail: string) => never,
  ) {}

  parseWhole(): Value {
    if (this.tokens.length === 0) return this.fail('the expression is empty');
    const value = this.parseOr();
    if (this.at < this.tokens.length)
      return this.fail('unexpected trailing input');
    return value;
  }

  private parseOr(): Value {
    let left = this.parseAnd();
    while (this.takeOp('||')) {
      const right = this.parseAnd();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private parseAnd(): Value {
    let left = this.parseComparison();
    while (this.takeOp('&&')) {
      const right = this.parseComparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private parseComparison(): Value {
    const left = this.parsePrimary();
    const operator = this.takeOp('==') ?? this.takeOp('!=');
    if (!operator) return left;
    const equal = this.equals(left, this.parsePrimary());
    return operator === '==' ? equal : !equal;
  }

  private parsePrimary(): Value {
    const token = this.tokens[this.at++];
    if (!token) return this.fail('the expression ends too early');
    if (token.kind === 'string') return token.value;
    if (token.kind === 'path') return this.resolve(token.text);
    if (token.text === '(') {
      const inner = this.parseOr();
      if (!this.takeOp(')')) return this.fail('a "(" is never closed');
      return inner;
    }
    return this.fail(`unexpected "${token.text}"`);
  }

  private resolve(path: string): Value {
    if (this.peekOp('('))
      return this.fail(`function calls (${path}()) are not modelled`);
    const [root, name, ...deeper] = path.split('.');
    const unknown = `"${path}" is not a context value the runner knows`;
    if (deeper.length > 0 || name === undefined) return this.fail(unknown);
    if (root === 'github' && GITHUB_KEYS.includes(name))
      return this.context.github[name as keyof GithubValues];
    if (root === 'vars') return this.context.vars[name] ?? '';
    if (root === 'env' && this.context.env) return this.context.env[name] ?? '';
    if (root === 'env')
      return this.fail('the env context is not available here');
    return this.fail(unknown);
  }

  /** GitHub compares strings ignoring case; other mixes would need its number coercion. */
  private equals(left: Value, right: Value): boolean {
    if (typeof left === 'string' && typeof right === 'string')
      return left.toLowerCase() === right.toLowerCase();
    if (typeof left === 'boolean' && typeof right === 'boolean')
      return left === right;
    return this.fail('comparing a string with a boolean is not modelled');
  }

  private takeOp(text: string): string | undefined {
    if (!this.peekOp(text)) return undefined;
    this.at++;
    return text;
  }

  private peekOp(text: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'op' && token.text === text;
  }
}

function truthy(value: Value): boolean {
  return typeof value === 'boolean' ? value : value !== '';
}
