import type { GeneratedSecret } from './template';
import Handlebars from 'handlebars';
import { TemplateInvalidError } from './errors';

/** A compiled Handlebars file: call it with the render context. */
export type CompiledTemplate = (context: RenderContext) => string;

/**
 * The organisation's settings a template may use (`{{platform.npmRegistry}}`): the same for every
 * service, set by whoever renders (the portal from its config, the CLI from its options), never
 * answers and never recorded in `.paver/answers.yaml`.
 */
export interface PlatformSettings {
  /** Registry a generated `.npmrc` sends `@paver/*` to (ends with `/`). */
  npmRegistry: string;
  /** A service's dashboard, `{name}` standing for the service name; null: no dashboard link. */
  dashboardUrlPattern: string | null;
  /**
   * The GitHub organisation whose teams own repositories (a Group's team slug is its name, as the
   * platform stack creates them); null where repositories do not live on GitHub.
   */
  githubOrg: string | null;
}

/** What every template sees: `{{values.name}}`, `{{template.version}}`, `{{platform.npmRegistry}}`. */
export interface RenderContext {
  values: Record<string, unknown>;
  /** `generatedSecrets`: the `paver.dev/generated-secrets` settings, `{ env, name }` each. */
  template: {
    name: string;
    version: string;
    generatedSecrets: readonly GeneratedSecret[];
    /** The services it receives events from (`paver.dev/event-sources`): their answers' values. */
    eventSources: readonly string[];
  };
  platform: PlatformSettings;
}

// Runtime options on every call: explicit, so a future Handlebars default cannot loosen them.
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
};

/** Splits `BillingAPI v2`, `billing-api`, `billingApi` into lower/upper-cased words. */
export function words(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

const capitalise = (w: string) =>
  w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/** The case helpers, exported so tests and the CLI can use the same rules. */
export const caseHelpers = {
  kebabCase: (s: string) =>
    words(s)
      .map(w => w.toLowerCase())
      .join('-'),
  snakeCase: (s: string) =>
    words(s)
      .map(w => w.toLowerCase())
      .join('_'),
  upperSnakeCase: (s: string) =>
    words(s)
      .map(w => w.toUpperCase())
      .join('_'),
  pascalCase: (s: string) => words(s).map(capitalise).join(''),
  camelCase: (s: string) => {
    const pascal = words(s).map(capitalise).join('');
    return pascal.charAt(0).toLowerCase() + pascal.slice(1);
  },
  /** The name part of an entity ref: `group:default/payments` -> `payments` (also a GitHub team slug). */
  entityName: (ref: string) => ref.replace(/^[^:/]*:/, '').replace(/^.*\//, ''),
};

// Handlebars passes its `options` object as the last argument; the helpers take one text value.
function textHelper(name: string, fn: (s: string) => string) {
  return (...args: unknown[]) => {
    const value = args.length > 1 ? args[0] : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TemplateInvalidError(
        `helper ${name} needs a string, got ${typeof value}`,
      );
    }
    return fn(String(value));
  };
}

function createEnvironment(): typeof Handlebars {
  // An isolated environment: nothing registered here leaks into other Handlebars users.
  const env = Handlebars.create();
  for (const [name, fn] of Object.entries(caseHelpers)) {
    env.registerHelper(name, textHelper(name, fn));
  }
  // JSON.stringify of undefined is undefined; render it as `null` so the JSON stays valid.
  env.registerHelper(
    'json',
    (...args: unknown[]) =>
      JSON.stringify(args.length > 1 ? args[0] : undefined) ?? 'null',
  );
  // `{{urlPattern platform.dashboardUrlPattern values.name}}`: the pattern with `{name}` filled in,
  // encoded, so an answer can never add a path segment or a query to the link.
  env.registerHelper('urlPattern', (...args: unknown[]) => {
    const [pattern, name] = args;
    if (typeof pattern !== 'string' || typeof name !== 'string') {
      throw new TemplateInvalidError(
        'helper urlPattern needs a pattern and a name (strings)',
      );
    }
    return pattern.split('{name}').join(encodeURIComponent(name));
  });
  env.registerHelper(
    'eq',
    (...args: unknown[]) => args.length === 3 && args[0] === args[1],
  );
  return env;
}

const env = createEnvironment();

/** Options for {@link compileTemplate}. */
export interface CompileOptions {
  /** Where the source came from, for error messages. */
  source: string;
  /** HTML-escape output; only for HTML files, everything else is code or config. @default false */
  escapeHtml?: boolean;
}

/**
 * Compiles one template source. Only strings are accepted (an object reaching
 * Handlebars.compile is an AST injection), and partials are refused outright: the engine
 * registers none, so any partial, static or chosen by an answer, is a template error.
 */
export function compileTemplate(
  source: unknown,
  options: CompileOptions,
): CompiledTemplate {
  if (typeof source !== 'string') {
    throw new TemplateInvalidError(
      `${options.source}: template source must be a string`,
    );
  }
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(source);
  } catch (error) {
    throw new TemplateInvalidError(`${options.source}: ${firstLine(error)}`, {
      cause: error,
    });
  }
  refusePartials(ast, options.source);
  const delegate = env.compile(ast, {
    strict: true,
    noEscape: !options.escapeHtml,
    knownHelpersOnly: false,
  });
  return context => {
    try {
      return delegate(context, RUNTIME_OPTIONS);
    } catch (error) {
      throw new TemplateInvalidError(`${options.source}: ${firstLine(error)}`, {
        cause: error,
      });
    }
  };
}

function refusePartials(ast: hbs.AST.Program, source: string): void {
  const visitor = new Handlebars.Visitor();
  const refuse = () => {
    throw new TemplateInvalidError(`${source}: partials are not supported`);
  };
  Object.assign(visitor, {
    PartialStatement: refuse,
    PartialBlockStatement: refuse,
    DecoratorBlock: refuse,
    Decorator: refuse,
  });
  visitor.accept(ast);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split(
    '\n',
  )[0];
}
