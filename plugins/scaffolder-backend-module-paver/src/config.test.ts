import { ConfigReader } from '@backstage/config';
import { readPaverConfig } from './config';

describe('readPaverConfig', () => {
  it('defaults to the repository templates and a local data folder beside the backend', () => {
    const cfg = readPaverConfig(new ConfigReader({}), '/repo/packages/backend');
    expect(cfg.templatesDir).toBe('/repo/templates');
    expect(cfg.publish).toEqual({ provider: 'local', localDataDir: '/repo/.paver-data', github: undefined });
  });

  it('resolves configured folders against the working directory', () => {
    const cfg = readPaverConfig(
      new ConfigReader({ paver: { templates: { dir: 'tpl' }, publish: { local: { dataDir: '/data' } } } }),
      '/srv',
    );
    expect(cfg.templatesDir).toBe('/srv/tpl');
    expect(cfg.publish.localDataDir).toBe('/data');
  });

  it('refuses an unknown provider', () => {
    expect(() => readPaverConfig(new ConfigReader({ paver: { publish: { provider: 'gitlab' } } }))).toThrow(
      /paver.publish.provider must be one of local, github/,
    );
  });

  it('has no GitHub provider without an owner', () => {
    const cfg = readPaverConfig(new ConfigReader({ paver: { publish: { provider: 'github', github: { host: 'x' } } } }));
    expect(cfg.publish.github).toBeUndefined();
  });

  it('reads the GitHub settings with their defaults', () => {
    const cfg = readPaverConfig(
      new ConfigReader({ paver: { publish: { provider: 'github', github: { owner: 'acme' } } } }),
    );
    expect(cfg.publish.github).toEqual({ owner: 'acme', host: 'github.com', visibility: 'private' });
  });
});
