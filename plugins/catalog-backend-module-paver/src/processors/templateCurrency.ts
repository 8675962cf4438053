import path from 'node:path';
import type { RootConfigService } from '@backstage/backend-plugin-api';
import { TemplateReleases } from '@paver/golden-path';
import { TemplateCurrencyProcessor } from './templateCurrencyProcessor';

/**
 * The currency processor over the release tags of the repository that holds `paver.templates.dir`
 * (the scaffolder's setting, resolved against the backend's working directory the same way).
 */
export function templateCurrencyProcessor(config: RootConfigService) {
  const templatesDir = path.resolve(
    config.getOptionalString('paver.templates.dir') ?? '../../templates',
  );
  return new TemplateCurrencyProcessor(
    new TemplateReleases({
      repoDir: path.dirname(templatesDir),
      templatesPath: path.basename(templatesDir),
    }),
  );
}
