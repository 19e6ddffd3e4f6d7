/**
 * Plain-text and HTML parts from one description, so the two always say the same thing.
 * No images, no remote resources, no tracking: a link is the only thing a reader can follow.
 * `SECRET_PLACEHOLDER` stands where a one-time link's token or a passcode goes (see lib/data/outbox.ts).
 */
export const SECRET_PLACEHOLDER = 'CXS-SECRET-WITHHELD';

export interface MailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Label/value rows, e.g. the figure and its target. */
  facts?: Array<[string, string]>;
  action?: { label: string; url: string };
  /** Plain list items (the readiness summary). */
  list?: string[];
  footer?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const FOOTER = 'Sent by CX Scorecard. You get this because of your role in the scorecard; reply to your admin to change it.';

export function renderMail(content: MailContent): RenderedMail {
  const footer = content.footer ?? FOOTER;
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.facts?.length ? [...content.facts.map(([k, v]) => `${k}: ${v}`), ''] : []),
    ...(content.list?.length ? [...content.list.map((item) => `- ${item}`), ''] : []),
    ...(content.action ? [`${content.action.label}:`, content.action.url, ''] : []),
    '-- ',
    footer,
    '',
  ].join('\n');

  const p = (s: string) => `<p style="margin:0 0 14px">${escapeHtml(s)}</p>`;
  const facts = content.facts?.length
    ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${content.facts
        .map(
          ([k, v]) =>
            `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;color:#4b5563;font-weight:600">${escapeHtml(k)}</th><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const list = content.list?.length
    ? `<ul style="margin:0 0 16px;padding-left:20px">${content.list.map((item) => `<li style="margin:0 0 6px">${escapeHtml(item)}</li>`).join('')}</ul>`
    : '';
  const action = content.action
    ? `<p style="margin:20px 0"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(content.action.label)}</a></p>` +
      `<p style="margin:0 0 14px;font-size:13px;color:#4b5563">Or open this address: <a href="${escapeHtml(content.action.url)}" style="color:#1d4ed8;word-break:break-all">${escapeHtml(content.action.url)}</a></p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111827;font-size:15px;line-height:1.5">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;padding:28px">
<p style="margin:0 0 18px;font-size:13px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:#1d4ed8">CX Scorecard</p>
${p(content.greeting)}
${content.paragraphs.map(p).join('\n')}
${facts}${list}${action}
<p style="margin:24px 0 0;padding-top:14px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280">${escapeHtml(footer)}</p>
</div></body></html>`;
  return { subject: content.subject, text, html };
}
