/**
 * Members of this group maintain the platform: the permission policy allows them everything, and
 * they may run the scaffolder's reconciler on demand.
 */
export const PLATFORM_GROUP = 'group:default/platform';
