import {
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import UpdateIcon from '@material-ui/icons/Update';

/** The Golden paths page; a page needs a route ref to get its item in the sidebar. */
export const goldenPathsRouteRef = createRouteRef();

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

/** Paver's pages: for now the Golden paths page (`/golden-paths`). */
export const paverPlugin = createFrontendPlugin({
  pluginId: 'paver',
  title: 'Golden paths',
  icon: <UpdateIcon fontSize="inherit" />,
  routes: { goldenPaths: goldenPathsRouteRef },
  extensions: [goldenPathsPage],
});
