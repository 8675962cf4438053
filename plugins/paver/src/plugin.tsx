import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import UpdateIcon from '@material-ui/icons/Update';
import { isOnCallEntity } from './entity/onCall/onCallEntity';
import { sloEntityCard } from './entity/slo/sloCardExtension';
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

/**
 * The on-call home page at `/`: the search box, then who is on call now for the signed-in user's
 * teams. On by default (the catalog index lives at `/catalog`); an app that mounts another page
 * at `/` turns it off with `page:paver/home: false` in `app.extensions`.
 */
const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    // Its own header says Paver; the plugin's would say "Golden paths" (the plugin's title).
    noHeader: true,
    loader: () => import('./home/HomePage').then(m => <m.HomePage />),
  },
});

/**
 * The entity page's "On call" card: who is on call now and next, escalation, the owning team and
 * the runbook; on Components, Systems and APIs (each has an owner whose schedule applies).
 */
const onCallCard = EntityCardBlueprint.make({
  name: 'on-call',
  params: {
    type: 'info',
    filter: isOnCallEntity,
    loader: () =>
      import('./entity/onCall/EntityOnCallCard').then(m => (
        <m.EntityOnCallCard />
      )),
  },
});

/**
 * Paver's pages: the Golden paths page (`/golden-paths`), the on-call home page (`/`), and the
 * entity page's On call, SLO and Golden path cards.
 */
export const paverPlugin = createFrontendPlugin({
  pluginId: 'paver',
  title: 'Golden paths',
  icon: <UpdateIcon fontSize="inherit" />,
  routes: { goldenPaths: goldenPathsRouteRef },
  extensions: [
    goldenPathsPage,
    homePage,
    onCallCard,
    sloEntityCard,
    templateCurrencyCard,
  ],
});
