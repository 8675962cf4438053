import { guardedOperations } from '../bearer.js';
import { readOpenApi } from '../openapi.js';
import { openApiFile, type ServiceDefinition } from '../service.js';
import type { TestService } from './harness.js';

/**
 * Calls every operation the runtime guards the way an intruder would: without a token (it must
 * answer 401), and where the operation names scopes, with a valid token holding none (403).
 * Path parameters are filled with `x`: the token is checked before anything else, so the
 * operation never sees them. Returns one line per operation that let the caller through, or
 * answered otherwise; empty when every guard holds.
 */
export async function checkGuardedOperations(
  service: Pick<TestService, 'baseUrl' | 'issuer'>,
  definition: ServiceDefinition,
): Promise<string[]> {
  const guarded = guardedOperations(
    readOpenApi(openApiFile(definition)),
  ).filter(operation => operation.scopes !== undefined);
  const scopeless = service.issuer
    ? `Bearer ${await service.issuer.token({ scopes: [] })}`
    : undefined;
  const problems: string[] = [];
  for (const { method, path, scopes } of guarded) {
    const call = async (authorization?: string) =>
      (
        await fetch(`${service.baseUrl}${path.replace(/\{[^}]+\}/g, 'x')}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          },
          body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
        })
      ).status;
    const anonymous = await call();
    if (anonymous !== 401) {
      problems.push(`${method} ${path}: without a token answered ${anonymous}`);
    }
    if (scopes!.length > 0 && scopeless) {
      const status = await call(scopeless);
      if (status !== 403) {
        problems.push(
          `${method} ${path}: a token without ${scopes!.join(
            ' ',
          )} answered ${status}`,
        );
      }
    }
  }
  return problems;
}
