// A real SMTP server on 127.0.0.1 for the e-mail tests (the npm package smtp-server): it requires
// the login in its URL, parses what it receives with mailparser, and can refuse or hold replies.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** The login the client used. */
  readonly user: string | undefined;
  readonly envelope: { from: string; to: string[] };
  readonly mail: ParsedMail;
}

/** An SMTP error reply, sent at RCPT TO (the recipient) or after DATA (the message). */
export interface SmtpRefusal {
  readonly stage: 'rcpt' | 'data';
  readonly code: number;
  readonly message: string;
}

export interface SmtpDouble {
  /** smtp://user:pass@127.0.0.1:port */
  readonly url: string;
  /** Messages the server accepted, in order. */
  readonly received: ReceivedMail[];
  /** Recipients offered at RCPT TO, accepted or refused, in order. */
  readonly recipientsOffered: string[];
  /** User names of every AUTH attempt, right or wrong. */
  readonly loginsAttempted: string[];
  /** Answers every transaction with this error until called again with null. */
  refuse(refusal: SmtpRefusal | null): void;
  /** Withholds the reply to the next message until `release()`; `arrived` resolves once it is received in full. */
  holdNextMessage(): { arrived: Promise<ReceivedMail>; release(): void };
  close(): Promise<void>;
}

const USER = 'mailer';
const PASSWORD = 'correct horse';

export async function startSmtpDouble(): Promise<SmtpDouble> {
  const received: ReceivedMail[] = [];
  const recipientsOffered: string[] = [];
  const loginsAttempted: string[] = [];
  let refusal: SmtpRefusal | null = null;
  let hold: { arrived: (mail: ReceivedMail) => void; released: Promise<void> } | null = null;

  const smtpError = ({ code, message }: SmtpRefusal) => Object.assign(new Error(message), { responseCode: code });

  const server = new SMTPServer({
    // Plain SMTP with AUTH on loopback: nodemailer upgrades whenever STARTTLS is offered, and the
    // built-in certificate would not verify.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session, callback) {
      loginsAttempted.push(auth.username ?? '');
      if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      recipientsOffered.push(address.address);
      callback(refusal?.stage === 'rcpt' ? smtpError(refusal) : undefined);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        if (refusal?.stage === 'data') return callback(smtpError(refusal));
        const mail: ReceivedMail = { user: session.user as string | undefined, envelope: envelopeOf(session), mail: await simpleParser(Buffer.concat(chunks)) };
        received.push(mail);
        const held = hold;
        hold = null;
        if (held) {
          held.arrived(mail);
          await held.released;
        }
        callback(null, `2.0.0 Ok: queued as ${received.length}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
    received,
    recipientsOffered,
    loginsAttempted,
    refuse(next) {
      refusal = next;
    },
    holdNextMessage() {
      let release!: () => void;
      const released = new Promise<void>(resolve => (release = resolve));
      const arrived = new Promise<ReceivedMail>(resolve => (hold = { arrived: resolve, released }));
      return { arrived, release };
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function envelopeOf(session: SMTPServerSession) {
  const from = session.envelope.mailFrom;
  return { from: from ? from.address : '', to: session.envelope.rcptTo.map(rcpt => rcpt.address) };
}
