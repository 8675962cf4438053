import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { PLATFORM_GROUP } from '@paver/plugin-paver-common';
import type { Request } from 'express';

/**
 * Lets through other backends and services (a service principal) and users whose sign-in claims
 * include `group:default/platform`; anyone else gets NotAllowedError (403) naming `what`. A
 * request without credentials never gets here: the plugin's default auth policy answers 401.
 */
export async function assertPlatformOrService(
  options: { httpAuth: HttpAuthService; userInfo: UserInfoService },
  req: Request,
  what: string,
): Promise<void> {
  const credentials = await options.httpAuth.credentials(req, {
    allow: ['service', 'user'],
  });
  if (credentials.principal.type !== 'user') return;
  const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
    credentials,
  );
  if (
    !ownershipEntityRefs.some(
      ref => ref.toLocaleLowerCase('en-US') === PLATFORM_GROUP,
    )
  ) {
    throw new NotAllowedError(
      `only services and members of ${PLATFORM_GROUP} may ${what}`,
    );
  }
}
