import { parseRegisterInput } from './register.schema';

describe('paver:catalog:register input', () => {
  it.each([
    'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml',
    'https://github.com/acme/billing-api/blob/main/catalog-info.yaml',
  ])('accepts %s', catalogInfoUrl => {
    expect(parseRegisterInput({ catalogInfoUrl })).toEqual({ catalogInfoUrl });
  });

  it.each([
    ['file:///etc/passwd', 'a file URL'],
    ['/srv/repos/catalog-info.yaml', 'a bare path'],
    ['javascript:alert(1)', 'a script URL'],
    ['https://', 'no host'],
    ['https://example.com/a b', 'whitespace'],
  ])('rejects %j (%s) naming the field', catalogInfoUrl => {
    expect(() => parseRegisterInput({ catalogInfoUrl })).toThrow(
      'catalogInfoUrl: must be an absolute http(s) URL',
    );
  });

  it("rejects the stock action's repoContentsUrl/catalogInfoPath pair, naming the keys", () => {
    expect(() =>
      parseRegisterInput({
        repoContentsUrl: 'https://x/',
        catalogInfoPath: '/catalog-info.yaml',
      }),
    ).toThrow(/catalogInfoUrl: Required|repoContentsUrl/);
  });
});
