// docs/reliability.md row 7 (service names) plus the answers contract of templates/README.md.
import path from 'node:path';
import { validateAnswers, serviceNameIssues } from './answers';
import { AnswersInvalidError, GoldenPathError } from './errors';
import { loadTemplate } from './template';
import { renderTemplate } from './write';
import { makeFixture, writtenEntries } from './__testUtils__/fixtures';

const owner = 'group:default/payments';

function errorOf(fn: () => unknown): AnswersInvalidError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AnswersInvalidError);
    return error as AnswersInvalidError;
  }
  throw new Error('expected AnswersInvalidError');
}

describe('validateAnswers', () => {
  const template = () =>
    loadTemplate(makeFixture({ skeleton: { 'a.txt': 'a' } }).dir);

  it.each([
    ['uppercase', 'Billing-api', /answers\.name: must match \^\[a-z\]/],
    ['64+ characters', `a${'b'.repeat(63)}`, /answers\.name: must match/],
    ['a leading digit', '1billing', /answers\.name: must match/],
    ['spaces', 'billing api', /answers\.name: must match/],
    ['a trailing hyphen', 'billing-', /answers\.name: must match/],
    ['reserved admin', 'admin', /answers\.name: "admin" is reserved/],
    ['reserved api', 'api', /answers\.name: "api" is reserved/],
    [
      'reserved backstage',
      'backstage',
      /answers\.name: "backstage" is reserved/,
    ],
  ])(
    'rejects a service name with %s, naming the field',
    (_label, name, message) => {
      expect(() => validateAnswers(template(), { name, owner })).toThrow(
        message,
      );
    },
  );

  it('applies the service-name rule even when the template forgets the pattern', () => {
    const loose = loadTemplate(
      makeFixture({
        parametersYaml: `
  parameters:
    - properties:
        name: { type: string }`,
      }).dir,
    );
    expect(() => validateAnswers(loose, { name: 'Has Spaces' })).toThrow(
      /answers\.name: must match/,
    );
    expect(() => validateAnswers(loose, { name: 'www' })).toThrow(
      /"www" is reserved/,
    );
  });

  it('lists every missing required field and every bad enum value', () => {
    const error = errorOf(() =>
      validateAnswers(template(), { lifecycle: 'forever' }),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: 'answers.name', message: 'is required' },
        { field: 'answers.owner', message: 'is required' },
        {
          field: 'answers.lifecycle',
          message: 'must be one of: experimental, production',
        },
      ]),
    );
    expect(error.message).not.toContain('\n');
  });

  it('applies defaults and returns a copy, leaving the input untouched', () => {
    const input = { name: 'billing-api', owner };
    const values = validateAnswers(template(), input);
    expect(values).toEqual({
      name: 'billing-api',
      owner,
      lifecycle: 'experimental',
    });
    expect(input).toEqual({ name: 'billing-api', owner });
  });

  it('ignores ui:* keys in the schema instead of failing on them', () => {
    expect(
      validateAnswers(template(), { name: 'billing-api', owner }).name,
    ).toBe('billing-api');
  });

  it('refuses __proto__ keys and non-data values in answers', () => {
    const polluted = JSON.parse(
      '{"name":"billing-api","owner":"o","extra":{"__proto__":{"x":1}}}',
    );
    expect(() => validateAnswers(template(), polluted)).toThrow(
      /answers\.extra\.__proto__/,
    );
    expect(() =>
      validateAnswers(template(), { name: 'billing-api', owner, f: () => 1 }),
    ).toThrow(/answers\.f: must be plain data/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('rejects answers that are not a mapping', () => {
    expect(() => validateAnswers(template(), ['name'])).toThrow(
      /answers: must be a mapping/,
    );
  });

  it('creates nothing when a name is refused', async () => {
    const fixture = makeFixture({ skeleton: { 'a.txt': 'a' } });
    const before = writtenEntries(fixture.base);
    await expect(
      renderTemplate(
        loadTemplate(fixture.dir),
        { name: 'admin', owner },
        {
          targetDir: path.join(fixture.base, 'out'),
        },
      ),
    ).rejects.toBeInstanceOf(GoldenPathError);
    expect(writtenEntries(fixture.base)).toEqual(before);
  });

  it('serviceNameIssues accepts a good name', () => {
    expect(serviceNameIssues('billing-api')).toEqual([]);
  });
});
