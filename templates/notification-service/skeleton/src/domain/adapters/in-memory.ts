import { delivered, type Channel, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';

/**
 * A recording adapter for tests: keeps every send call with its outcome, and fails the next calls
 * on demand (`failNext(2, { retryable: true })`) to exercise retries and dead letters.
 */
export class InMemoryAdapter implements ChannelAdapter {
  readonly calls: { message: OutboundMessage; result: SendResult }[] = [];
  private readonly scripted: SendResult[] = [];
  private counter = 0;

  constructor(readonly channel: Channel) {}

  failNext(times: number, failure: { retryable: boolean; reason?: string }): this {
    for (let i = 0; i < times; i++) {
      this.scripted.push({ ok: false, retryable: failure.retryable, reason: failure.reason ?? 'injected failure' });
    }
    return this;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const result = this.scripted.shift() ?? delivered(`${this.channel}-${++this.counter}`);
    this.calls.push({ message, result });
    return result;
  }

  /** Messages the provider accepted, in order. */
  delivered(): OutboundMessage[] {
    return this.calls.filter(call => call.result.ok).map(call => call.message);
  }
}
