import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { hasSloCard } from './sloEntity';

/**
 * The entity page's "SLOs" card: objectives, window, error budget left and firing burn alerts of
 * each SLO, on Components with SLOs and on SLO entities. For the paver plugin's extension list.
 */
export const sloEntityCard = EntityCardBlueprint.make({
  name: 'slo',
  params: {
    type: 'content',
    filter: hasSloCard,
    loader: () => import('./EntitySloCard').then(m => <m.EntitySloCard />),
  },
});
