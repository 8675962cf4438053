import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { SloReport } from '@paver/plugin-paver-common';
import { catalogDatabase } from '../../__testUtils__/testCatalog';
import { catalogModulePaver } from '../../module';

// billing-api and its two SLOs as the SLO processor writes them from a slo.yaml holding
// `billing-api-availability` (named after the service already) and `latency` (which the catalog
// prefixes: billing-api-latency), for the SLO route's tests.

const REPO = 'https://github.com/acme/billing-api/tree/main';

/** The SLO entity named `name`, of billing-api, with `objectives`. */
function sloEntity(
  name: string,
  title: string,
  objectives: { displayName?: string; target: number }[],
): Entity {
  return {
    apiVersion: 'paver.dev/v1alpha1',
    kind: 'SLO',
    metadata: { name, namespace: 'default', title },
    spec: {
      service: 'component:default/billing-api',
      owner: 'group:default/payments',
      objectives,
      window: { duration: '30d', rolling: true },
      budgetingMethod: 'Occurrences',
      indicator: 'ratioMetric',
      source: `${REPO}/slo.yaml`,
      rules: `${REPO}/slo-rules.yaml`,
    },
    relations: [{ type: 'sloOf', targetRef: 'component:default/billing-api' }],
  };
}

export const BILLING_SLO_ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'billing-api', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
    relations: [
      { type: 'hasSlo', targetRef: 'slo:default/billing-api-availability' },
      { type: 'hasSlo', targetRef: 'slo:default/billing-api-latency' },
    ],
  },
  sloEntity('billing-api-availability', 'Billing API availability', [
    { displayName: 'Good', target: 0.999 },
  ]),
  sloEntity('billing-api-latency', 'Billing API latency', [
    { displayName: 'Under 300 ms', target: 0.99 },
    { displayName: 'Under 1 s', target: 0.95 },
  ]),
];

/** The SLO route's answer, as fetch gives it. */
export interface SloRouteAnswer {
  status: number;
  body: SloReport & { error?: { message: string } };
}

/**
 * The catalog module in a test backend over BILLING_SLO_ENTITIES, with
 * `paver.slo.prometheus.baseUrl` set when given; returns a GET of the SLO route as a user.
 */
export async function startSloBackend(prometheusBaseUrl?: string) {
  // A stand-in for the catalog plugin, as module.test.ts has it: the module attaches to its id.
  const catalogPlugin = createBackendPlugin({
    pluginId: 'catalog',
    register({ registerInit }) {
      registerInit({ deps: {}, async init() {} });
    },
  });
  const { server } = await startTestBackend({
    extensionPoints: [
      [catalogProcessingExtensionPoint, { addProcessor: () => {} }],
    ],
    features: [
      catalogPlugin,
      catalogModulePaver,
      catalogServiceMock.factory({ entities: BILLING_SLO_ENTITIES }),
      mockServices.database.factory({
        knex: await catalogDatabase(undefined, 'slo'),
      }),
      mockServices.rootConfig.factory({
        data: prometheusBaseUrl
          ? { paver: { slo: { prometheus: { baseUrl: prometheusBaseUrl } } } }
          : {},
      }),
    ],
  });
  return async (
    query: string,
    headers: Record<string, string> = {
      authorization: mockCredentials.user.header(),
    },
  ): Promise<SloRouteAnswer> => {
    const response = await fetch(
      `http://localhost:${server.port()}/api/catalog/paver/slo${query}`,
      { headers },
    );
    return { status: response.status, body: await response.json() };
  };
}
