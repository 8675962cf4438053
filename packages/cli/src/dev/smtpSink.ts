import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted, as its recipient would read it. */
export interface SinkMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

/** An SMTP server on 127.0.0.1 that keeps every message, as a local mail catcher does. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly received: readonly SinkMail[];
  /** The first message for which `match` holds, waiting up to `timeoutMs`. */
  waitFor(
    match: (mail: SinkMail) => boolean,
    timeoutMs?: number,
  ): Promise<SinkMail>;
  close(): Promise<void>;
}

/**
 * Starts the sink on a free loopback port. `onMail` sees each message with its raw bytes (what a
 * `.eml` file holds) once it has been accepted.
 */
export async function startSmtpSink(
  onMail?: (mail: SinkMail, raw: Buffer) => void,
): Promise<SmtpSink> {
  const received: SinkMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: nodemailer upgrades whenever STARTTLS is offered, and the built-in
    // certificate would not verify.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          parsed => {
            const mail = {
              to: session.envelope.rcptTo.map(r => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            };
            received.push(mail);
            onMail?.(mail, raw);
            callback();
          },
          error => callback(error),
        );
      });
    },
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no matching mail within ${timeoutMs} ms; received: ${JSON.stringify(
              received.map(m => ({ to: m.to, subject: m.subject })),
            )}`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
