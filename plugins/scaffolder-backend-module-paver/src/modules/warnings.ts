import type { LoggerService } from '@backstage/backend-plugin-api';
import type { PaverScaffolderConfig } from '../config';

/** Says at start-up what in the settings will surprise someone later. */
export function warnAboutSettings(
  settings: PaverScaffolderConfig,
  logger: LoggerService,
): void {
  if (settings.publish.provider === 'github' && !settings.publish.github) {
    logger.warn(
      'paver.publish.provider is github but paver.publish.github.owner is not set: publishing will fail',
    );
  }
  if (settings.testing.pauseAfterRepoCreateMs > 0) {
    logger.warn(
      'paver.testing.pauseAfterRepoCreateMs is set: publishing pauses after creating each repository (tests only)',
    );
  }
  logger.info(
    `Paver actions ready: templates in ${settings.templatesDir}, publishing to ${settings.publish.provider}`,
  );
}
