import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import UpdateIcon from '@material-ui/icons/Update';
import { isFromGoldenPath } from './entity/templateCurrency';
import { goldenPathsRouteRef } from './routes';

const goldenPathsPage = PageBlueprint.make({
  name: 'golden-paths',
  params: {
    path: '/golden-paths',
    routeRef: goldenPathsRouteRef,
    title: 'Golden paths',
    icon: <UpdateIcon fontSize="inherit" />,
    loader: () =>
      import('./goldenPaths/GoldenPathsPage').then(m => <m.GoldenPathsPage />),
  },
});

/** The entity page's "Golden path" card: template, version, releases behind; Paver-made only. */
const templateCurrencyCard = EntityCardBlueprint.make({
  name: 'template-currency',
  params: {
    type: 'info',
    filter: isFromGoldenPath,
    loader: () =>
      import('./entity/EntityTemplateCurrencyCard').then(m => (
        <m.EntityTemplateCurrencyCard />
      )),
  },
});

/** Paver's pages: the Golden paths page (`/golden-paths`) and the entity page's Golden path card. */
export const paverPlugin = createFrontendPlugin({
  pluginId: 'paver',
  title: 'Golden paths',
  icon: <UpdateIcon fontSize="inherit" />,
  routes: { goldenPaths: goldenPathsRouteRef },
  extensions: [goldenPathsPage, templateCurrencyCard],
});
