import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogEntityReadPermission,
  catalogEntityDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  taskCancelPermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { PLATFORM_GROUP } from '@paver/plugin-paver-common';
import { PaverPermissionPolicy } from './paverPolicy';

function userOf(ref: string, groups: string[] = []): PolicyQueryUser {
  return {
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  } as unknown as PolicyQueryUser;
}

describe('PaverPermissionPolicy', () => {
  const policy = new PaverPermissionPolicy({ allowAll: false });
  const alice = userOf('user:default/alice', ['group:default/payments']);

  it('lets any signed-in user read the catalog', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      alice,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it.each([taskReadPermission, taskCancelPermission])(
    'limits $name to the task creator',
    async permission => {
      const decision = await policy.handle({ permission }, alice);
      expect(decision).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        conditions: {
          rule: 'IS_TASK_OWNER',
          params: { createdBy: ['user:default/alice'] },
        },
      });
    },
  );

  it('denies task access to a request without a user', async () => {
    const decision = await policy.handle({ permission: taskReadPermission });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it('lets only owners delete an entity', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      alice,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: alice.info.ownershipEntityRefs },
      },
    });
  });

  it('lets platform group members do anything', async () => {
    const platformer = userOf('user:default/pat', [PLATFORM_GROUP]);
    const decision = await policy.handle(
      { permission: taskCancelPermission },
      platformer,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('allows everything when configured allow-all (development only)', async () => {
    const open = new PaverPermissionPolicy({ allowAll: true });
    const decision = await open.handle(
      { permission: taskCancelPermission },
      alice,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });
});
