import { HttpError, type HttpMethod, type Route } from './http.js';

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'not-found' };

/** Matches `/invoices/:id`-style paths; built once at start, refusing duplicate routes. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    const seen = new Set<string>();
    this.routes = routes.map(route => {
      if (!route.path.startsWith('/')) throw new Error(`route ${route.operationId}: path ${route.path} must start with /`);
      const key = `${route.method} ${route.path.replace(/:[^/]+/g, ':')}`;
      if (seen.has(key)) throw new Error(`route ${route.method} ${route.path} is declared twice`);
      seen.add(key);
      return { route, segments: route.path.split('/').slice(1) };
    });
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').slice(1);
    const allowed = new Set<HttpMethod>();
    for (const candidate of this.routes) {
      const params = matchSegments(candidate.segments, parts);
      if (!params) continue;
      if (candidate.route.method === method) return { kind: 'found', route: candidate.route, params };
      allowed.add(candidate.route.method);
    }
    return allowed.size > 0 ? { kind: 'wrong-method', allowed: [...allowed].sort() } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    if (expected.startsWith(':')) {
      if (parts[i] === '') return undefined;
      params[expected.slice(1)] = decodeSegment(parts[i]);
    } else if (expected !== parts[i]) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_path', `path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}
