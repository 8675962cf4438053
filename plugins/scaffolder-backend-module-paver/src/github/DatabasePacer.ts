import { isError } from '@backstage/errors';
import {
  type GithubPacer,
  type PacingOptions,
  type PacingRules,
  pacingRules,
} from './pacing';
import {
  type Knex,
  ensureLedger,
  pauseRemaining,
  recordPause,
  tryGrant,
} from './pacingLedger';

export interface DatabasePacerOptions extends PacingOptions {
  /** Told when the database cannot be reached (requests then wait, and pacing retries). */
  logger?: { warn(message: string): void };
}

type Waiter = { resolve: () => void; reject: (reason: unknown) => void };

/**
 * Paces requests to GitHub for every replica that shares the scaffolder's database. The budget
 * is a ledger of grants (pacingLedger.ts); each grant is decided in a transaction serialized with
 * every other replica's. Within a process, content-creating requests queue in order behind one
 * loop that asks the ledger for a slot and, when there is none, sleeps until the earliest moment
 * one could free up: other replicas can only push that moment later, never earlier, so waking
 * then and asking again is enough. Over budget means later, never failed.
 */
export class DatabasePacer implements GithubPacer {
  /** Creates the ledger tables if they are missing (idempotent; run at start-up). */
  static async create(
    knex: Knex,
    options: DatabasePacerOptions = {},
  ): Promise<DatabasePacer> {
    await ensureLedger(knex);
    return new DatabasePacer(knex, options);
  }

  private readonly rules: PacingRules;
  private readonly writers: Waiter[] = [];
  private pumping = false;
  private wakePump: (() => void) | undefined;
  /** This process's own pauses (its clock): they hold it back at once, even if recording fails. */
  private localPause = 0;
  /** The latest pause being recorded; every decision waits for it, so it sees the pause. */
  private recording: Promise<void> = Promise.resolve();

  private constructor(
    private readonly knex: Knex,
    private readonly options: DatabasePacerOptions,
  ) {
    this.rules = pacingRules(options);
  }

  acquire(kind: 'write' | 'read', signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (kind === 'read') return this.afterPause(signal);
    return new Promise((resolve, reject) => {
      const onAbort = () => this.drop(waiter, signal!.reason);
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.writers.push(waiter);
      void this.pump();
    });
  }

  async pauseUntil(time: number): Promise<void> {
    this.localPause = Math.max(this.localPause, time);
    this.recording = this.recording
      .then(() => recordPause(this.knex, time - Date.now()))
      .catch(error => this.warn('could not record a rate-limit pause', error));
    await this.recording;
  }

  /** One loop per process, so this process's writers go in the order they came. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let failures = 0; this.writers.length > 0; ) {
        let waitMs: number;
        try {
          waitMs = await this.grantFirst();
          failures = 0;
        } catch (error) {
          waitMs = this.retryDelay(failures++, error);
        }
        if (waitMs > 0) await this.sleep(waitMs);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Lets the first writer go if the ledger grants a slot; otherwise how long to wait (ms). */
  private async grantFirst(): Promise<number> {
    await this.recording;
    const paused = this.localPause - Date.now();
    if (paused > 0) return paused;
    const decision = await tryGrant(
      this.knex,
      this.rules,
      () => this.writers.length > 0,
    );
    if (!decision.granted) return decision.waitMs;
    this.writers.shift()?.resolve();
    return 0;
  }

  /** Reads spend no budget but, like everything else, wait out a rate-limit pause. */
  private async afterPause(signal?: AbortSignal): Promise<void> {
    for (let failures = 0; ; ) {
      await this.recording;
      let waitMs = this.localPause - Date.now();
      if (waitMs <= 0) {
        try {
          waitMs = await pauseRemaining(this.knex);
          failures = 0;
        } catch (error) {
          waitMs = this.retryDelay(failures++, error);
        }
      }
      if (waitMs <= 0) return;
      await delay(waitMs, signal);
    }
  }

  private drop(waiter: Waiter, reason: unknown): void {
    const index = this.writers.indexOf(waiter);
    if (index >= 0) this.writers.splice(index, 1);
    waiter.reject(reason);
    // Nobody left to wait for: end the loop now rather than after a sleep of up to an hour.
    if (this.writers.length === 0) this.wakePump?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const wake = () => {
        clearTimeout(timer);
        this.wakePump = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakePump = wake;
    });
  }

  /** A database outage delays requests (bounded backoff) rather than failing them. */
  private retryDelay(failures: number, error: unknown): number {
    if (failures === 0) this.warn('cannot reach the database; retrying', error);
    return Math.min(250 * 2 ** failures, 5000);
  }

  private warn(what: string, error: unknown): void {
    const message = isError(error) ? error.message : String(error);
    this.options.logger?.warn(`GitHub request pacing ${what}: ${message}`);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it is aborted first. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
