import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { createOnCallRouter } from './onCall/onCallRouter';
import { OnCallReports } from './onCall/onCallReports';
import { pagerDutyFromConfig } from './onCall/pagerDutyConfig';
import { OnCallRulesProcessor } from './processors/onCallRulesProcessor';
import { RunbookDocuments } from './processors/runbookDocument';
import { RunbookLinkProcessor } from './processors/runbookLinkProcessor';
import { SloEntityProcessor } from './processors/sloEntityProcessor';
import { templateCurrencyProcessor } from './processors/templateCurrency';
import { installCatalogRepair } from './repair/install';
import { sloPrometheusFromConfig } from './slo/prometheusConfig';
import { createSloRouter } from './slo/sloRouter';
import { SloReports } from './slo/sloReports';
import { createPrioritizeRouter } from './router';

/**
 * Paver's catalog module, wiring only: `POST /api/catalog/paver/prioritize` puts named entities at
 * the front of the processing queue, so a service created with Paver is processed ahead of a
 * backlog; a scheduled repair re-queues entities the catalog will never stitch again after a
 * database outage cut it between two writes (src/repair/); and a processor turns the
 * `paver.dev/runbook` annotation into a link to the runbook in the service's own repository
 * (src/processors/), and another holds entities to the rules the on-call relies on (Group owners,
 * runbook, rotation, http(s) links; the same rules as `paver catalog validate`); another turns each
 * service's OpenSLO file into SLO entities related to it;
 * `GET /api/catalog/paver/oncall` answers who is on call for an entity (src/onCall/), and
 * `GET /api/catalog/paver/slo` its SLOs with their error budgets from Prometheus (src/slo/). A catalog module,
 * so it shares the catalog plugin's own database and router.
 */
export const catalogModulePaver = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paver',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
        catalogApi: catalogServiceRef,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({
        config,
        database,
        httpRouter,
        httpAuth,
        logger,
        scheduler,
        lifecycle,
        auth,
        urlReader,
        catalogApi,
        catalog,
      }) {
        const integrations = ScmIntegrations.fromConfig(config);
        catalog.addProcessor(
          new RunbookLinkProcessor(integrations),
          templateCurrencyProcessor(config),
          new OnCallRulesProcessor({
            catalog: catalogApi,
            auth,
            runbooks: new RunbookDocuments(urlReader, integrations, logger),
          }),
          new SloEntityProcessor(urlReader, integrations, logger),
        );
        httpRouter.use(
          createOnCallRouter({
            httpAuth,
            reports: new OnCallReports({
              catalog: catalogApi,
              pagerDuty: pagerDutyFromConfig(config),
            }),
          }),
        );
        httpRouter.use(
          createSloRouter({
            httpAuth,
            reports: new SloReports({
              catalog: catalogApi,
              prometheus: sloPrometheusFromConfig(config),
            }),
          }),
        );
        httpRouter.use(
          createPrioritizeRouter({
            httpAuth,
            logger,
            database: () => database.getClient(),
          }),
        );
        installCatalogRepair({
          config,
          database,
          scheduler,
          logger,
          lifecycle,
        });
      },
    });
  },
});
