/** One thing wrong with a schedule block: the field (`spec.schedule.rotation`) and what is wrong. */
export interface ScheduleProblem {
  field: string;
  message: string;
}

/** A schedule block that does not validate; `problems` holds every field at fault, in order. */
export class InvalidScheduleError extends Error {
  readonly problems: readonly ScheduleProblem[];

  constructor(problems: readonly ScheduleProblem[]) {
    const [first] = problems;
    const more =
      problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`${first.field}: ${first.message}${more}`);
    this.name = 'InvalidScheduleError';
    this.problems = problems;
  }
}
