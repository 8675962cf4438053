import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Golden paths page; a page needs a route ref to get its item in the sidebar. */
export const goldenPathsRouteRef = createRouteRef();
