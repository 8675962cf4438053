import type { RootConfigService } from '@backstage/backend-plugin-api';
import { templateReleasesFromConfig } from '@paver/golden-path';
import { TemplateCurrencyProcessor } from './templateCurrencyProcessor';

/**
 * The currency processor over the releases of the golden paths in `paver.templates.dir` (the
 * scaffolder's setting): read from the checkout holding them, or, when
 * `paver.templates.releases.repository` names their git repository (an image without git
 * history), from this plugin's mirror of it.
 */
export function templateCurrencyProcessor(config: RootConfigService) {
  return new TemplateCurrencyProcessor(
    templateReleasesFromConfig(config, 'catalog'),
  );
}
