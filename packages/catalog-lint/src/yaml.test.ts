import { CatalogLintError, CatalogYamlError } from './errors';
import { parseCatalogYaml } from './yaml';

// "Billion laughs": each level doubles... tenfold; fully expanded it is 10^9 strings.
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
].join('\n');

describe('parseCatalogYaml', () => {
  it('returns every document of a stream, keeping empty ones as null so indexes match the file', () => {
    expect(parseCatalogYaml('kind: A\n---\n---\nkind: B\n')).toEqual([
      { kind: 'A' },
      null,
      { kind: 'B' },
    ]);
  });

  it('refuses an alias bomb with a CatalogYamlError instead of expanding it', () => {
    expect(() => parseCatalogYaml(ALIAS_BOMB)).toThrow(CatalogYamlError);
    expect(() => parseCatalogYaml(ALIAS_BOMB)).toThrow(/document 0: .*alias/i);
  });

  it('names the document in which a problem sits', () => {
    expect(() => parseCatalogYaml(`kind: A\n---\n${ALIAS_BOMB}`)).toThrow(
      /^document 1: /,
    );
  });

  it('still allows a few ordinary aliases', () => {
    expect(parseCatalogYaml('a: &x [1]\nb: *x\n')).toEqual([
      { a: [1], b: [1] },
    ]);
  });

  it('refuses a file over the size cap before parsing it', () => {
    expect(() =>
      parseCatalogYaml(`a: ${'x'.repeat(2000)}`, { maxBytes: 1000 }),
    ).toThrow('file is larger than 1000 bytes');
  });

  it.each([
    'a: !!js/function "function () {}"',
    'a: !secret token',
    'a: !!binary aGk=',
    'a: !!str 1',
  ])('refuses the explicit tag in %j', text => {
    // Unknown tags fail as "Unresolved tag", known ones as "tags are not allowed"; both refuse.
    expect(() => parseCatalogYaml(text)).toThrow(
      /^document 0: (tags are not allowed|Unresolved tag)/,
    );
  });

  it('refuses a __proto__ key, including one smuggled through a merge key, and pollutes nothing', () => {
    expect(() => parseCatalogYaml('__proto__: {polluted: yes}')).toThrow(
      /"__proto__" is not allowed/,
    );
    expect(() => parseCatalogYaml('<<: {__proto__: {polluted: yes}}')).toThrow(
      /"__proto__" is not allowed/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not apply merge keys', () => {
    expect(parseCatalogYaml('base: &b {x: 1}\nchild:\n  <<: *b\n')).toEqual([
      { base: { x: 1 }, child: { '<<': { x: 1 } } },
    ]);
  });

  it('refuses duplicate and non-string keys', () => {
    expect(() => parseCatalogYaml('a: 1\na: 2\n')).toThrow(CatalogYamlError);
    expect(() => parseCatalogYaml('? [a]\n: 1\n')).toThrow(
      /keys must be plain strings/,
    );
  });

  it('reports a syntax error as a CatalogYamlError rooted in CatalogLintError', () => {
    expect(() => parseCatalogYaml('kind: [unclosed')).toThrow(CatalogLintError);
  });
});
