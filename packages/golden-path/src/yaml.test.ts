// docs/reliability.md row 9: YAML bombs, huge documents, custom tags, prototype pollution.
import { parseAnswersYaml } from './answers';
import { AnswersInvalidError } from './errors';
import { objectPrototypeSnapshot } from './__testUtils__/fixtures';
import { parseYamlSafe, parseYamlStreamSafe } from './yaml';

describe('parseAnswersYaml', () => {
  it('parses plain answers', () => {
    expect(
      parseAnswersYaml('name: billing-api\nreplicas: 2\ntags: [a, b]\n'),
    ).toEqual({
      name: 'billing-api',
      replicas: 2,
      tags: ['a', 'b'],
    });
  });

  it('returns no answers for an empty file', () => {
    expect(parseAnswersYaml('')).toEqual({});
  });

  it('rejects a billion-laughs alias bomb quickly, with bounded memory', () => {
    const levels = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(() => parseAnswersYaml(levels.join('\n'))).toThrow(
      AnswersInvalidError,
    );
    expect(() => parseAnswersYaml(levels.join('\n'))).toThrow(/alias/i);
  });

  it('rejects more alias uses than our bound (far below the library default of 100)', () => {
    const text = `a: &x [1, 2]\nb: [${Array(30).fill('*x').join(', ')}]\n`;
    expect(() => parseAnswersYaml(text)).toThrow(/alias/i);
  });

  it('still allows a few aliases', () => {
    expect(parseAnswersYaml('a: &x v\nb: *x\n')).toEqual({ a: 'v', b: 'v' });
  });

  it('rejects a 50 MB document before parsing it', () => {
    const huge = `name: ${'x'.repeat(50 * 1024 * 1024)}`;
    expect(() => parseAnswersYaml(huge)).toThrow(/larger than 1048576 bytes/);
  });

  it.each([
    ['an unknown local tag', 'name: !shell "rm -rf /"'],
    ['a js/function tag', 'name: !!js/function "function () { return 1 }"'],
    ['a binary tag', 'name: !!binary aGk='],
    ['a set tag', 'name: !!set {a, b}'],
  ])('rejects %s', (_label, text) => {
    expect(() => parseAnswersYaml(text)).toThrow(/tag/i);
  });

  it.each([
    [
      'a merge key carrying __proto__',
      '<<: {__proto__: {polluted: 1}}\nname: x\n',
    ],
    ['a plain __proto__ key', '__proto__:\n  polluted: 1\n'],
    ['a nested __proto__ key', 'a:\n  b:\n    __proto__: {polluted: 1}\n'],
  ])('rejects %s without polluting Object.prototype', (_label, text) => {
    const before = objectPrototypeSnapshot();
    expect(() => parseAnswersYaml(text)).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(objectPrototypeSnapshot()).toEqual(before);
  });

  it('does not treat << as a merge key', () => {
    expect(parseAnswersYaml('base: &b {x: 1}\n<<: *b\n')).toEqual({
      base: { x: 1 },
      '<<': { x: 1 },
    });
  });

  it('rejects non-string keys, several documents and non-mapping answers', () => {
    expect(() => parseAnswersYaml('? [a]\n: 1\n')).toThrow(
      /keys must be plain strings/,
    );
    expect(() => parseAnswersYaml('a: 1\n---\nb: 2\n')).toThrow(
      AnswersInvalidError,
    );
    expect(() => parseAnswersYaml('- a\n- b\n')).toThrow(/must be a mapping/);
  });

  it('rejects input that is not text', () => {
    expect(() => parseYamlSafe(Buffer.from('a: 1'))).toThrow(/expected text/);
  });
});

describe('parseYamlStreamSafe', () => {
  it('returns every document, an empty one as null, so indexes match the file', () => {
    expect(parseYamlStreamSafe('a: 1\n---\n---\nb: 2\n')).toEqual([
      { a: 1 },
      null,
      { b: 2 },
    ]);
  });

  it('names the document at fault, after the label', () => {
    expect(() =>
      parseYamlStreamSafe('a: 1\n---\n!!binary x: 1\n', { label: 'x.yaml' }),
    ).toThrow(/^x\.yaml: document 1: /);
  });

  it('applies the same size bound to the whole stream', () => {
    expect(() => parseYamlStreamSafe('a: 1\n', { maxBytes: 2 })).toThrow(
      'file is larger than 2 bytes',
    );
  });
});
