import type { Db } from '@paver/service-runtime';
import type { Channel } from './channels.js';
import { InvalidRequestError, NotFoundError } from './errors.js';
import { renderText, variablesOf, type TemplateVariables } from './template-text.js';

/** A message template, stored per key, channel and locale. */
export interface MessageTemplate {
  readonly key: string;
  readonly channel: Channel;
  readonly locale: string;
  readonly subject: string | null;
  readonly body: string;
  /** Every variable the subject and body use. */
  readonly variables: string[];
}

export interface RenderedMessage {
  readonly subject: string | null;
  readonly body: string;
}

interface TemplateRow {
  template_key: string;
  channel: Channel;
  locale: string;
  subject: string | null;
  body: string;
}

const BODY_LIMIT = 20_000;

/** The template key a team can store to word its own digests; it may use only {{count}} and {{items}}. */
export const DIGEST_TEMPLATE_KEY = 'digest';
const DIGEST_VARIABLES = ['count', 'items'];

export function templateName(t: { key: string; channel: string; locale: string }): string {
  return `${t.key} (${t.channel}/${t.locale})`;
}

/** Creates or replaces a template after checking its placeholders; e-mail needs a subject. */
export async function saveTemplate(
  db: Db,
  input: { key: string; channel: Channel; locale: string; subject: string | null; body: string },
): Promise<MessageTemplate> {
  if (input.channel === 'email' && input.subject === null) {
    throw new InvalidRequestError('subject is required for email templates');
  }
  if (input.body.length > BODY_LIMIT) throw new InvalidRequestError(`body must be at most ${BODY_LIMIT} characters`);
  const template = withVariables({ ...input });
  const unknown = template.variables.filter(v => !DIGEST_VARIABLES.includes(v));
  if (input.key === DIGEST_TEMPLATE_KEY && unknown.length > 0) {
    throw new InvalidRequestError(`a digest template may use only {{count}} and {{items}}, not ${unknown.map(v => `{{${v}}}`).join(', ')}`);
  }
  await db.query(
    `INSERT INTO message_templates (template_key, channel, locale, subject, body)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (template_key, channel, locale)
     DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_at = now()`,
    [input.key, input.channel, input.locale, input.subject, input.body],
  );
  return template;
}

export async function findTemplate(db: Db, key: string, channel: Channel, locale: string): Promise<MessageTemplate | null> {
  const rows = await db.query<TemplateRow>(
    `SELECT template_key, channel, locale, subject, body FROM message_templates
     WHERE template_key = $1 AND channel = $2 AND locale = $3`,
    [key, channel, locale],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The template for the wanted locale, else the service's default locale; 404 naming both. */
export async function resolveTemplate(
  db: Db,
  key: string,
  channel: Channel,
  locale: string,
  defaultLocale: string,
): Promise<MessageTemplate> {
  const found = (await findTemplate(db, key, channel, locale)) ?? (await findTemplate(db, key, channel, defaultLocale));
  if (!found) {
    throw new NotFoundError(`no template '${key}' for channel ${channel} in locale ${locale} or ${defaultLocale}`);
  }
  return found;
}

export function renderTemplate(template: MessageTemplate, variables: TemplateVariables): RenderedMessage {
  const name = templateName(template);
  return {
    subject: template.subject === null ? null : renderText(template.subject, variables, name),
    body: renderText(template.body, variables, name),
  };
}

function fromRow(row: TemplateRow): MessageTemplate {
  return withVariables({
    key: row.template_key,
    channel: row.channel,
    locale: row.locale,
    subject: row.subject,
    body: row.body,
  });
}

function withVariables(t: Omit<MessageTemplate, 'variables'>): MessageTemplate {
  const subjectVars = t.subject === null ? [] : variablesOf(t.subject, 'subject');
  const bodyVars = variablesOf(t.body, 'body');
  return { ...t, variables: [...new Set([...subjectVars, ...bodyVars])] };
}
