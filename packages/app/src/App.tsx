import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';

// Features are discovered from this package's dependencies (app.packages: all in app-config.yaml);
// only the ones we customise are listed here.
export default createApp({
  features: [catalogPlugin, navModule],
});
