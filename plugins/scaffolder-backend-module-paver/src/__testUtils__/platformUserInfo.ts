import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { PLATFORM_GROUP } from '@paver/plugin-paver-common';

/** The platform engineer of these tests: signs in with group:default/platform among their claims. */
export const PLATFORM_USER = 'user:default/plat';

/** A user's claims: their own ref, plus the platform group for {@link PLATFORM_USER}. */
export const platformUserInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs:
          ref === PLATFORM_USER ? [ref, PLATFORM_GROUP] : [ref],
      };
    },
  }),
});
