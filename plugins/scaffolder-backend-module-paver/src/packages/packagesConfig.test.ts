import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { npmRegistryUrl, readPackagesConfig } from './packagesConfig';

const read = (packages?: Record<string, any>) =>
  readPackagesConfig(
    new ConfigReader(packages ? { paver: { packages } } : {}),
    '/srv/paver/packages/backend',
  );

describe('readPackagesConfig', () => {
  it('serves .paver-data/packages of the repository by default, with no registry', () => {
    expect(read()).toEqual({
      registry: undefined,
      localDir: '/srv/paver/.paver-data/packages',
    });
  });

  it('resolves the folder against the working directory, and keeps an absolute one', () => {
    expect(read({ local: { dir: 'tarballs' } }).localDir).toBe(
      '/srv/paver/packages/backend/tarballs',
    );
    expect(read({ local: { dir: '/var/paver/packages' } }).localDir).toBe(
      '/var/paver/packages',
    );
  });

  it('takes the organisation registry, ending with /', () => {
    expect(read({ registry: 'https://npm.example.com/paver' }).registry).toBe(
      'https://npm.example.com/paver/',
    );
    expect(read({ registry: 'http://npm.internal:4873/' }).registry).toBe(
      'http://npm.internal:4873/',
    );
  });

  it.each([
    'npm.example.com/paver',
    'ftp://npm.example.com/',
    '/paver/npm',
    'not a url',
  ])('refuses %j as registry, naming the key and the value', registry => {
    expect(() => read({ registry })).toThrow(InputError);
    expect(() => read({ registry })).toThrow(
      `paver.packages.registry must be an absolute http(s) URL, got "${registry}"`,
    );
  });
});

describe('npmRegistryUrl', () => {
  const scaffolder = async () => 'http://localhost:7007/api/scaffolder';

  it("is this backend's own registry on embedded defaults", async () => {
    expect(await npmRegistryUrl(read(), scaffolder)).toBe(
      'http://localhost:7007/api/scaffolder/paver/npm/',
    );
  });

  it('is the configured registry when there is one', async () => {
    const settings = read({ registry: 'https://npm.example.com/paver/' });
    expect(await npmRegistryUrl(settings, scaffolder)).toBe(
      'https://npm.example.com/paver/',
    );
  });
});
