import { DevStackError } from '../errors';
import type { DevService } from './workloads';

/**
 * The stack's services in start order: each after the ones it needs (the auth service before
 * those that verify its tokens, a producer before its consumers). Needs outside the stack are
 * left to the variables that name them, which fail if they are called. A cycle is an error.
 */
export function startOrder(services: readonly DevService[]): DevService[] {
  const byName = new Map(services.map(s => [s.name, s]));
  const ordered: DevService[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (service: DevService, path: string[]) => {
    const seen = state.get(service.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new DevStackError(
        `the stack's services need each other in a cycle: ${[
          ...path,
          service.name,
        ].join(' → ')}`,
      );
    state.set(service.name, 'visiting');
    for (const need of service.needs) {
      const needed = byName.get(need);
      if (needed) visit(needed, [...path, service.name]);
    }
    state.set(service.name, 'done');
    ordered.push(service);
  };
  for (const service of services) visit(service, []);
  return ordered;
}
