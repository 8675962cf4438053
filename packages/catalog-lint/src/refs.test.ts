import { InvalidEntityRefError } from './errors';
import { entityRefOf, findEntity } from './refs';
import { group, system } from './__testUtils__/tempCatalog';
import type { LoadedEntity } from './types';

function loadedOf(...entities: object[]): { entities: LoadedEntity[] } {
  return {
    entities: entities.map(
      (entity, i) =>
        ({
          entity,
          file: `catalog/${i}.yaml`,
          documentIndex: 0,
        } as LoadedEntity),
    ),
  };
}

describe('entityRefOf', () => {
  it('gives the full lower-cased ref, with the default namespace when none is set', () => {
    expect(entityRefOf(group('Identity') as never)).toBe(
      'group:default/identity',
    );
    expect(
      entityRefOf({
        ...group('x'),
        metadata: { name: 'x', namespace: 'Ops' },
      } as never),
    ).toBe('group:ops/x');
  });
});

describe('findEntity', () => {
  const loaded = loadedOf(
    group('identity'),
    system('billing', 'identity'),
    group('identity'),
  );

  it('finds by full ref, case-insensitively', () => {
    expect(
      findEntity(loaded, 'System:default/Billing')?.entity.metadata.name,
    ).toBe('billing');
  });

  it('completes a short ref from the given default kind', () => {
    expect(findEntity(loaded, 'billing', { defaultKind: 'System' })?.file).toBe(
      'catalog/1.yaml',
    );
  });

  it('returns the first of two entities claiming one ref', () => {
    expect(findEntity(loaded, 'group:identity')?.file).toBe('catalog/0.yaml');
  });

  it('returns undefined for an entity that is not there', () => {
    expect(findEntity(loaded, 'group:default/ghosts')).toBeUndefined();
  });

  it('throws InvalidEntityRefError for a ref with no kind and no default kind', () => {
    expect(() => findEntity(loaded, 'billing')).toThrow(InvalidEntityRefError);
    expect(() => findEntity(loaded, 'group:')).toThrow(
      /"group:" is not a valid entity ref/,
    );
  });
});
