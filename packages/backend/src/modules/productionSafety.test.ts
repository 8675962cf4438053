import { ConfigReader } from '@backstage/config';
import {
  findProductionSafetyProblems,
  readPolicyName,
} from './productionSafety';

const safeProduction = {
  paver: {
    environment: 'production',
    permission: { policy: 'paver' },
    packages: { registry: 'https://npm.acme.test/' },
  },
  permission: { enabled: true },
  auth: {
    providers: { github: { production: { clientId: 'x', clientSecret: 'y' } } },
  },
};

describe('findProductionSafetyProblems', () => {
  it('accepts a production config with a real provider and the Paver policy', () => {
    expect(
      findProductionSafetyProblems(new ConfigReader(safeProduction)),
    ).toEqual([]);
  });

  it('ignores development configs, whatever they enable', () => {
    const dev = {
      paver: { environment: 'development' },
      auth: { providers: { guest: {} } },
    };
    expect(findProductionSafetyProblems(new ConfigReader(dev))).toEqual([]);
  });

  it('reports guest sign-in, allow-all, disabled permissions and a disabled auth policy', () => {
    const unsafe = {
      ...safeProduction,
      paver: {
        ...safeProduction.paver,
        permission: { policy: 'allow-all' },
      },
      permission: { enabled: false },
      auth: { providers: { guest: {} } },
      backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
    };
    const problems = findProductionSafetyProblems(new ConfigReader(unsafe));
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/auth\.providers\.guest/);
    expect(problems.join('\n')).toMatch(/allow-all/);
    expect(problems.join('\n')).toMatch(/permission\.enabled/);
    expect(problems.join('\n')).toMatch(/dangerouslyDisableDefaultAuthPolicy/);
  });

  it('reports a production config that names no npm registry for generated services', () => {
    const problems = findProductionSafetyProblems(
      new ConfigReader({
        ...safeProduction,
        paver: { environment: 'production', permission: { policy: 'paver' } },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^paver\.packages\.registry is not set:.*PAVER_NPM_REGISTRY/,
      ),
    ]);
  });

  it('rejects an unknown policy name, naming the key', () => {
    expect(() =>
      readPolicyName(
        new ConfigReader({ paver: { permission: { policy: 'yolo' } } }),
      ),
    ).toThrow(
      /paver\.permission\.policy must be "paver" or "allow-all", got "yolo"/,
    );
  });
});
