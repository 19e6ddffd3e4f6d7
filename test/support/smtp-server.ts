import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as it arrived at the test's mail server, parsed as a mail client would. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Stops listening; `start` listens again on the same port (the mail server "comes back"). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Waits until at least `count` messages have arrived (no fixed sleeps). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  to(email: string): ReceivedMail[];
}

/**
 * A real SMTP server (the `smtp-server` package) on a loopback port, plain SMTP with no auth,
 * keeping every message it accepts.
 */
export async function startTestSmtpServer(port = 0, onMessage?: (mail: ReceivedMail) => void): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer;
  let boundPort = port;

  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId,
            raw,
          };
          received.push(mail);
          onMessage?.(mail);
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => resolve());
    });
    boundPort = (server.server.address() as AddressInfo).port;
  };
  await listen();

  return {
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start: listen,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} messages, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received;
    },
    to(email) {
      return received.filter((m) => m.to.includes(email.toLowerCase()));
    },
  };
}
