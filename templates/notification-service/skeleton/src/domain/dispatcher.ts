import { withSpan, type Db } from '@paver/service-runtime';
import type { ChannelAdapters, SendResult } from './channels.js';
import { flushDueDigests } from './digests.js';
import { claimDue, deadLetter, markSent, markSuppressed, scheduleRetry, type ClaimedMessage } from './outbox.js';
import { backoffDelayMs, type NotificationSettings } from './settings.js';

export interface DispatcherOptions {
  readonly db: Db;
  readonly adapters: ChannelAdapters;
  readonly settings: NotificationSettings;
  /** Injected so tests can move time forward instead of waiting. */
  readonly now?: () => Date;
  /** Messages claimed per round. @default 50 */
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
  /** Called after each background round that did something. */
  readonly onReport?: (report: DispatchReport) => void;
}

export interface DispatchReport {
  digestsClosed: number;
  claimed: number;
  sent: number;
  retried: number;
  deadLettered: number;
  suppressed: number;
  /** Outcomes not recorded because the lease ran out and another dispatcher took the message. */
  lostClaims: number;
}

type Outcome = Exclude<keyof DispatchReport, 'digestsClosed' | 'claimed'>;

/**
 * Delivers the outbox. Any number of dispatchers, in any number of processes, may run against one
 * database: each round closes due digests, claims due messages with SKIP LOCKED, sends them and
 * records the outcome under its claim token. Delivery is at-least-once (a dispatcher that dies
 * after sending is retried once its lease ends), so adapters are idempotent by message id.
 */
export class Dispatcher {
  private readonly now: () => Date;
  private readonly batchSize: number;
  private running: Promise<void> | null = null;
  private stopping = false;
  private died = false;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 50;
  }

  async runOnce(): Promise<DispatchReport> {
    const { db, settings } = this.options;
    const report: DispatchReport = { digestsClosed: 0, claimed: 0, sent: 0, retried: 0, deadLettered: 0, suppressed: 0, lostClaims: 0 };
    report.digestsClosed = await flushDueDigests(db, settings, this.now());
    const claimed = await claimDue(db, this.now(), this.batchSize, settings.leaseMs);
    report.claimed = claimed.length;
    for (const message of claimed) {
      report[await this.traced(message)]++;
    }
    return report;
  }

  /** Runs rounds until stop(): straight away while there is a full batch, else every `idleMs`. */
  start(idleMs = 1_000): void {
    if (this.running) return;
    this.stopping = false;
    this.died = false;
    // A failed round is caught inside the loop; what escapes it (a callback that threw) ends it.
    this.running = this.loop(idleMs).catch(() => {
      this.died = true;
    });
  }

  /**
   * False once the background loop ended without stop() being called: nothing delivers any more,
   * so the worker's /healthz fails and the orchestrator restarts it. A stopped loop is not dead.
   */
  alive(): boolean {
    return !this.died;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.running = null;
  }

  private async loop(idleMs: number): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      try {
        const report = await this.runOnce();
        busy = report.claimed === this.batchSize;
        if (report.claimed > 0 || report.digestsClosed > 0) this.options.onReport?.(report);
      } catch (error) {
        // The database may be away for a while; keep the loop alive and try again next round.
        this.options.onError?.(error);
      }
      if (!busy) await new Promise(resolve => setTimeout(resolve, idleMs));
    }
  }

  /**
   * One delivery as one span. Its parent is the trace context stored with the message, so the
   * asynchronous hop continues the trace of the request that enqueued it (a digest has none and
   * starts its own); the provider call and the outcome's queries are its children.
   */
  private async traced(message: ClaimedMessage): Promise<Outcome> {
    const attributes = {
      'notification.message_id': message.messageId,
      'notification.channel': message.channel,
      'notification.attempt': String(message.attempts),
    };
    return withSpan('notification.deliver', attributes, () => this.deliver(message), { parent: message.trace ?? undefined });
  }

  private async deliver(message: ClaimedMessage): Promise<Outcome> {
    const { db } = this.options;
    if (await this.optedOut(message)) {
      return (await markSuppressed(db, message, `recipient opted out of ${message.channel}`)) ? 'suppressed' : 'lostClaims';
    }
    const result = await this.send(message);
    if (result.ok) {
      return (await markSent(db, message, result.providerMessageId, this.now())) ? 'sent' : 'lostClaims';
    }
    if (result.retryable && message.attempts < message.maxAttempts) {
      const at = new Date(this.now().getTime() + backoffDelayMs(message.attempts, this.options.settings));
      return (await scheduleRetry(db, message, result.reason, at)) ? 'retried' : 'lostClaims';
    }
    const why = result.retryable ? `gave up after ${message.attempts} attempts: ${result.reason}` : `permanent failure: ${result.reason}`;
    return (await deadLetter(db, message, why)) ? 'deadLettered' : 'lostClaims';
  }

  private async send(message: ClaimedMessage): Promise<SendResult> {
    const { messageId, channel, recipientId, address, subject, body } = message;
    try {
      return await this.options.adapters[channel].send({ messageId, channel, recipientId, address, subject, body });
    } catch (error) {
      // An adapter that throws (network down, bug) is treated as a passing fault, not a verdict.
      return { ok: false, retryable: true, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async optedOut(message: ClaimedMessage): Promise<boolean> {
    const rows = await this.options.db.query<{ opted_out: boolean }>(
      'SELECT $2 = ANY(opted_out) AS opted_out FROM recipients WHERE recipient_id = $1',
      [message.recipientId, message.channel],
    );
    return rows[0]?.opted_out === true;
  }
}
