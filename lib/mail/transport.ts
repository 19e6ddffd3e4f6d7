import nodemailer from 'nodemailer';

/**
 * The one place that talks SMTP. SMTP_URL (smtp:// or smtps://, user and password in the URL)
 * selects the server; without it nothing is sent and the outbox keeps what would have been.
 */
export interface OutgoingMail {
  to: { name: string | null; email: string };
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row, so a receiving system can tell a message it already has. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpUrlFromEnv(env: Record<string, string | undefined> = process.env): string | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  if (!/^smtps?:\/\//.test(url)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  return url;
}

/** The sender: MAIL_FROM, else a no-reply address at the SMTP server's host. */
export function mailFromEnv(env: Record<string, string | undefined> = process.env): string {
  if (env.MAIL_FROM?.trim()) return env.MAIL_FROM.trim();
  return 'CX Scorecard <no-reply@cx-scorecard.invalid>';
}

export function createMailer(smtpUrl: string, from: string = mailFromEnv()): Mailer {
  // Short timeouts: a mail server that hangs must fail a delivery run, not stall it for minutes.
  const transport = nodemailer.createTransport(smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as never);
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to.name ? { name: mail.to.name, address: mail.to.email } : mail.to.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
    },
    close() {
      transport.close();
    },
  };
}
