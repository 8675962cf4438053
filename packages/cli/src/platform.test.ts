import { EMBEDDED_PORTAL_REGISTRY, platformSettings } from './platform';
import { UsageError } from './errors';

describe('platformSettings', () => {
  it("defaults to the embedded portal's registry and no dashboard", () => {
    expect(platformSettings({})).toEqual({
      npmRegistry: EMBEDDED_PORTAL_REGISTRY,
      dashboardUrlPattern: null,
      githubOrg: null,
    });
  });

  it('takes the environment, and the options over it', () => {
    const env = {
      PAVER_NPM_REGISTRY: 'https://npm.acme.test/paver',
      PAVER_DASHBOARD_URL: 'https://grafana.acme.test/d/{name}',
      PAVER_GITHUB_ORG: 'acme',
    };
    expect(platformSettings({}, env)).toEqual({
      npmRegistry: 'https://npm.acme.test/paver/',
      dashboardUrlPattern: 'https://grafana.acme.test/d/{name}',
      githubOrg: 'acme',
    });
    expect(
      platformSettings({ npmRegistry: 'http://127.0.0.1:4873/' }, env)
        .npmRegistry,
    ).toBe('http://127.0.0.1:4873/');
  });

  it('refuses a registry or dashboard that is not an http(s) URL, naming the option', () => {
    expect(() => platformSettings({ npmRegistry: 'npm.acme.test' })).toThrow(
      UsageError,
    );
    expect(() => platformSettings({ dashboardUrl: 'file:///{name}' })).toThrow(
      /--dashboard-url must be an absolute http\(s\) URL, got "file:\/\/\/\{name\}"/,
    );
  });
});
