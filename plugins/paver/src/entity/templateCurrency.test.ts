import {
  describeBehind,
  isFromGoldenPath,
  readTemplateCurrency,
} from './templateCurrency';

const entity = (annotations: Record<string, string>) => ({
  metadata: { annotations },
});

describe('readTemplateCurrency', () => {
  it('reads the template, its version and the currency the catalog added', () => {
    expect(
      readTemplateCurrency(
        entity({
          'paver.dev/template': 'billing-service@1.0.0',
          'paver.dev/template-latest': '2.0.0',
          'paver.dev/template-behind': '1',
        }),
      ),
    ).toEqual({
      template: 'billing-service',
      version: '1.0.0',
      latest: '2.0.0',
      behind: 1,
    });
  });

  it('leaves the currency unknown when the catalog did not place the version among the releases', () => {
    expect(
      readTemplateCurrency(
        entity({ 'paver.dev/template': 'auth-service@0.9.0-dev' }),
      ),
    ).toEqual({ template: 'auth-service', version: '0.9.0-dev' });
    expect(
      readTemplateCurrency(
        entity({
          'paver.dev/template': 'auth-service@1.0.0',
          'paver.dev/template-latest': '2.0.0',
          'paver.dev/template-behind': 'many',
        }),
      ),
    ).toEqual({ template: 'auth-service', version: '1.0.0' });
  });

  it('shows the card only for entities that name a golden path', () => {
    expect(
      isFromGoldenPath(entity({ 'paver.dev/template': 'auth-service@1.0.0' })),
    ).toBe(true);
    expect(
      isFromGoldenPath(entity({ 'paver.dev/template': 'no version' })),
    ).toBe(false);
    expect(isFromGoldenPath(entity({}))).toBe(false);
    expect(isFromGoldenPath({ metadata: {} })).toBe(false);
  });
});

describe('describeBehind', () => {
  it('counts releases in words', () => {
    expect(describeBehind(0)).toBe('up to date');
    expect(describeBehind(1)).toBe('1 release behind');
    expect(describeBehind(3)).toBe('3 releases behind');
  });
});
