import { group, lintFixture, system } from '../__testUtils__/tempCatalog';

const owner = { 'groups/identity.yaml': group('identity') };

function systemWith(metadata: Record<string, unknown>) {
  return {
    ...owner,
    'systems/login.yaml': system('login', 'group:default/identity', metadata),
  };
}

describe('link and URL annotation rule', () => {
  it('accepts http and https links', async () => {
    const links = [
      { url: 'https://runbooks.example.com/login' },
      { url: 'http://grafana.internal/d/1' },
    ];
    expect(await lintFixture(systemWith({ links }))).toEqual([]);
  });

  it.each([
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    [' JavaScript:alert(1)', 'javascript:'],
    ['java\tscript:alert(1)', 'javascript:'],
    ['ftp://files.example.com/x', 'ftp:'],
  ])(
    'rejects the link %j naming metadata.links[1].url',
    async (url, scheme) => {
      const problems = await lintFixture(
        systemWith({ links: [{ url: 'https://ok.example.com' }, { url }] }),
      );
      expect(problems).toEqual([
        expect.objectContaining({
          file: 'catalog/systems/login.yaml',
          entityRef: 'system:default/login',
          field: 'metadata.links[1].url',
          message: `must be an http(s) URL, not ${scheme}`,
        }),
      ]);
    },
  );

  it('rejects a URL-named annotation that is not http(s)', async () => {
    const problems = await lintFixture(
      systemWith({
        annotations: { 'paver.dev/runbook-url': 'javascript:alert(1)' },
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'metadata.annotations["paver.dev/runbook-url"]',
      }),
    ]);
  });

  it('rejects a URL-named annotation that is a bare path', async () => {
    const problems = await lintFixture(
      systemWith({ annotations: { 'backstage.io/view-url': '/docs/runbook' } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        message: 'must be an absolute http(s) URL, got "/docs/runbook"',
      }),
    ]);
  });

  it('rejects a data: URL in any annotation, whatever its name', async () => {
    const problems = await lintFixture(
      systemWith({
        annotations: { 'paver.dev/logo': 'data:image/svg+xml,<svg/>' },
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'metadata.annotations["paver.dev/logo"]',
      }),
    ]);
  });

  it('rejects a url: location ref annotation whose target is not http(s)', async () => {
    const annotations = {
      'backstage.io/source-location': 'url:javascript:alert(1)',
    };
    const problems = await lintFixture(systemWith({ annotations }));
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'metadata.annotations["backstage.io/source-location"]',
      }),
    ]);
  });

  it('accepts location refs, on-call names and entity refs in annotations', async () => {
    const annotations = {
      'backstage.io/source-location':
        'url:https://git.example.com/login/tree/main/',
      'backstage.io/techdocs-ref': 'dir:.',
      'paver.dev/oncall': 'identity-primary',
      'paver.dev/escalates-to': 'group:default/identity',
    };
    expect(await lintFixture(systemWith({ annotations }))).toEqual([]);
  });
});
