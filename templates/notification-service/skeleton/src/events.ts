import type { EventEnvelope, EventHandler } from '@paver/events';
import type { BackgroundDeps } from '@paver/service-runtime';
import { eventContract } from './event-contract.js';
import { acceptNotification, parseNotificationRequest } from './domain/notifications.js';
import { rememberEmail } from './domain/recipients.js';
import { loadNotificationSettings, type NotificationSettings } from './domain/settings.js';
import type { TemplateVariables } from './domain/template-text.js';

/** The email one received event becomes: who gets it, which template, with what. */
interface EventEmail {
  readonly recipientId: string;
  readonly email: string;
  readonly template: string;
  readonly variables: TemplateVariables;
}

type Data = Record<string, string>;

/**
 * One handler per event asyncapi.yaml receives, keyed by its subject (the producers' names come
 * from the answers the service was created with). Each records the address the event carries and
 * accepts an email as POST /notifications would, in the consumer's transaction, keyed by the
 * event id: a redelivered event never sends twice, and an opted-out recipient is suppressed.
 */
export function eventHandlers({ config }: BackgroundDeps): Record<string, EventHandler> {
  const settings = loadNotificationSettings(config.env);
  return {
    [receiving('user.registered')]: emailFor(settings, (data: Data) => ({
      recipientId: data.userId,
      email: data.email,
      template: 'welcome',
      variables: { email: data.email },
    })),
    [receiving('subscription.activated')]: emailFor(settings, (data: Data) => ({
      recipientId: data.customerId,
      email: data.email,
      template: 'subscription-activated',
      variables: { planName: data.planName, periodEnd: data.currentPeriodEnd.slice(0, 10) },
    })),
    [receiving('invoice.issued')]: emailFor(settings, (data: Data) => ({
      recipientId: data.customerId,
      email: data.email,
      template: 'invoice-issued',
      variables: { number: data.number, amount: formatAmount(data.totalMinor, data.currency) },
    })),
  };
}

/** The subject asyncapi.yaml receives an event type on (version 1). */
function receiving(type: string): string {
  const event = eventContract.events.find(e => e.action === 'receive' && e.type === type && e.version === 1);
  if (!event) throw new Error(`asyncapi.yaml receives no ${type} v1, which src/events.ts handles`);
  return event.subject;
}

function emailFor(settings: NotificationSettings, toEmail: (data: Data) => EventEmail): EventHandler {
  return async (event: EventEnvelope, { tx }) => {
    const { recipientId, email, template, variables } = toEmail(event.data as Data);
    await rememberEmail(tx, recipientId, email);
    const request = parseNotificationRequest(`event:${event.id}`, { recipientId, channel: 'email', template, variables });
    await acceptNotification(tx, settings, request, new Date());
  };
}

/** `4900` EUR → `€49.00`: minor units by the currency's own number of decimals. */
function formatAmount(totalMinor: string, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(Number(totalMinor) / 10 ** digits);
}
