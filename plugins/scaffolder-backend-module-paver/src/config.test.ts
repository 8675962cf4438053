import { ConfigReader } from '@backstage/config';
import { readPaverConfig } from './config';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

describe('readPaverConfig', () => {
  it('defaults to the repository templates and a local data folder beside the backend', () => {
    const cfg = readPaverConfig(new ConfigReader({}), '/repo/packages/backend');
    expect(cfg.templatesDir).toBe('/repo/templates');
    expect(cfg.publish).toEqual({
      provider: 'local',
      localDataDir: '/repo/.paver-data',
      github: undefined,
    });
  });

  it('resolves configured folders against the working directory', () => {
    const cfg = readPaverConfig(
      new ConfigReader({
        paver: {
          templates: { dir: 'tpl' },
          publish: { local: { dataDir: '/data' } },
        },
      }),
      '/srv',
    );
    expect(cfg.templatesDir).toBe('/srv/tpl');
    expect(cfg.publish.localDataDir).toBe('/data');
  });

  it('refuses an unknown provider', () => {
    expect(() =>
      readPaverConfig(
        new ConfigReader({ paver: { publish: { provider: 'gitlab' } } }),
      ),
    ).toThrow(/paver.publish.provider must be one of local, github/);
  });

  it('has no GitHub provider without an owner', () => {
    const cfg = readPaverConfig(
      new ConfigReader({
        paver: { publish: { provider: 'github', github: { host: 'x' } } },
      }),
    );
    expect(cfg.publish.github).toBeUndefined();
  });

  it('reads the GitHub settings with their defaults', () => {
    const cfg = readPaverConfig(
      new ConfigReader({
        paver: { publish: { provider: 'github', github: { owner: 'acme' } } },
      }),
    );
    expect(cfg.publish.github).toEqual({
      owner: 'acme',
      host: 'github.com',
      visibility: 'private',
    });
  });

  it('runs the reconciler every 10 minutes unless told otherwise', () => {
    expect(readPaverConfig(new ConfigReader({})).reconcile).toEqual({
      enabled: true,
      frequency: { minutes: 10 },
    });
  });

  it('reads the reconciler frequency as an object, an ISO duration or a short string, and its switch', () => {
    const read = (reconcile: JsonObject) =>
      readPaverConfig(new ConfigReader({ paver: { reconcile } })).reconcile;
    expect(read({ frequency: { minutes: 3 } })).toEqual({
      enabled: true,
      frequency: { minutes: 3 },
    });
    expect(read({ frequency: 'PT30M', enabled: false })).toEqual({
      enabled: false,
      frequency: { minutes: 30 },
    });
    expect(read({ frequency: '5m' }).frequency).toEqual({ minutes: 5 });
  });

  it('refuses a reconciler frequency that is not a positive duration', () => {
    const read = (frequency: JsonObject[string]) => () =>
      readPaverConfig(
        new ConfigReader({ paver: { reconcile: { frequency } } }),
      );
    expect(read({ minutes: 0 })).toThrow(
      /paver.reconcile.frequency must be a positive duration/,
    );
    expect(read({ minutes: -5 })).toThrow(/positive duration/);
    expect(read('soon')).toThrow(/Invalid duration 'soon'/);
  });

  it('reads the dashboard link pattern, absent meaning no dashboard link', () => {
    const read = (links?: JsonObject) =>
      readPaverConfig(new ConfigReader(links ? { paver: { links } } : {}))
        .links;
    expect(read()).toEqual({ dashboard: null });
    expect(
      read({ dashboard: 'https://grafana.acme.test/d/svc?var-service={name}' }),
    ).toEqual({
      dashboard: 'https://grafana.acme.test/d/svc?var-service={name}',
    });
  });

  it('refuses a dashboard pattern that is not an absolute http(s) URL, naming the key', () => {
    for (const dashboard of ['grafana/{name}', 'javascript:alert({name})']) {
      expect(() =>
        readPaverConfig(new ConfigReader({ paver: { links: { dashboard } } })),
      ).toThrow(/paver\.links\.dashboard must be an absolute http\(s\) URL/);
    }
  });
});
