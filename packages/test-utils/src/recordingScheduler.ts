import type {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

export type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/** A scheduler that runs nothing and records every `scheduleTask` call in `scheduled`. */
export function recordingScheduler(): {
  scheduler: SchedulerService;
  scheduled: ScheduledTask[];
} {
  const scheduled: ScheduledTask[] = [];
  const scheduler: SchedulerService = {
    scheduleTask: async task => {
      scheduled.push(task);
    },
    triggerTask: async () => {},
    createScheduledTaskRunner: () => {
      throw new Error('not used');
    },
    getScheduledTasks: async () => [],
    cancelTask: async () => {},
  };
  return { scheduler, scheduled };
}
