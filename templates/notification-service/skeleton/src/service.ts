import { Counter, type Db, type Handlers, type HttpRequest, type ServiceDeps } from '@paver/service-runtime';
import { CHANNELS, isChannel, type Channel } from './domain/channels.js';
import { ConflictError, InvalidRequestError, NotFoundError } from './domain/errors.js';
import { listInbox, markRead } from './domain/inbox.js';
import { optionalString, parseIdentifier, parseLocale, parseUuid, requireObject, requireString } from './domain/input.js';
import { acceptNotification, getNotification, parseNotificationRequest } from './domain/notifications.js';
import { getOutboxEntry, listDeadLetters, requeueDead } from './domain/outbox.js';
import { loadProviderSettings } from './domain/provider-settings.js';
import { getRecipient, parseRecipientBody, saveRecipient } from './domain/recipients.js';
import { loadNotificationSettings, type NotificationSettings } from './domain/settings.js';
import { findTemplate, saveTemplate, templateName } from './domain/templates.js';

/**
 * The notification API: one handler per operationId of openapi.yaml, which also gives each its
 * path, method and the schemas the runtime checks requests and responses against. The domain's
 * own parsers still run: they turn what the schema allows into domain values.
 */
export function createHandlers({ db, config, logger, metrics }: ServiceDeps): Handlers {
  const settings = loadNotificationSettings(config.env);
  // The API sends nothing itself, yet it refuses to start wherever the worker would: accepting
  // notifications in production with no provider to deliver them only queues them to die.
  loadProviderSettings(config.env, message => logger.warn(message));
  const accepted = new Counter({
    name: 'notifications_accepted_total',
    help: 'Notifications accepted, by channel, priority and initial status.',
    labelNames: ['channel', 'priority', 'status'],
    registers: [metrics.registry],
  });
  return { ...templateHandlers(db), ...recipientHandlers(db), ...notificationHandlers(db, settings, accepted), ...deadLetterHandlers(db) };
}

function templateHandlers(db: Db): Handlers {
  const keyOf = (req: HttpRequest) => ({
    key: parseIdentifier(req.params.key, 'key'),
    channel: channelParam(req.params.channel),
    locale: parseLocale(req.params.locale),
  });
  return {
    putTemplate: async req => {
      const body = requireObject(req.body);
      const template = await saveTemplate(db, { ...keyOf(req), subject: optionalString(body, 'subject', 500), body: requireString(body, 'body', 20_000) });
      return { status: 200, body: template };
    },
    getTemplate: async req => {
      const key = keyOf(req);
      const template = await findTemplate(db, key.key, key.channel, key.locale);
      if (!template) throw new NotFoundError(`template ${templateName(key)} does not exist`);
      return { status: 200, body: template };
    },
  };
}

function recipientHandlers(db: Db): Handlers {
  const idOf = (req: HttpRequest) => parseIdentifier(req.params.recipientId, 'recipientId');
  return {
    putRecipient: async req => ({ status: 200, body: await saveRecipient(db, parseRecipientBody(idOf(req), req.body)) }),
    getRecipient: async req => ({ status: 200, body: await getRecipient(db, idOf(req)) }),
    listInbox: async req => {
      const unread = req.query.get('unread');
      if (unread !== null && unread !== 'true' && unread !== 'false') throw new InvalidRequestError('unread must be true or false');
      const page = await listInbox(db, idOf(req), { unreadOnly: unread === 'true', limit: limitParam(req) });
      return { status: 200, body: page };
    },
    markInboxMessageRead: async req => ({ status: 200, body: await markRead(db, idOf(req), parseUuid(req.params.messageId, 'messageId'), new Date()) }),
  };
}

function notificationHandlers(db: Db, settings: NotificationSettings, accepted: Counter<'channel' | 'priority' | 'status'>): Handlers {
  return {
    sendNotification: async req => {
      const request = parseNotificationRequest(req.headers['idempotency-key'], req.body);
      const { notification, replayed } = await acceptNotification(db, settings, request, new Date());
      // A replay accepted nothing new; counting it would count a client's retries.
      if (!replayed) accepted.inc({ channel: request.channel, priority: request.priority, status: notification.status });
      const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
      return { status: 202, body: notification, headers };
    },
    getNotification: async req => ({ status: 200, body: await getNotification(db, parseUuid(req.params.notificationId, 'notificationId')) }),
  };
}

function deadLetterHandlers(db: Db): Handlers {
  return {
    listDeadLetters: async req => ({ status: 200, body: { messages: await listDeadLetters(db, limitParam(req)) } }),
    retryDeadLetter: async req => {
      const messageId = parseUuid(req.params.messageId, 'messageId');
      const requeued = await requeueDead(db, messageId, new Date());
      if (requeued) return { status: 200, body: requeued };
      const existing = await getOutboxEntry(db, messageId);
      if (!existing) throw new NotFoundError(`message '${messageId}' does not exist`);
      throw new ConflictError(`message '${messageId}' is ${existing.status}, not dead; only dead letters can be retried`);
    },
  };
}

function channelParam(value: string | undefined): Channel {
  if (!isChannel(value)) throw new InvalidRequestError(`channel must be one of ${CHANNELS.join(', ')}`);
  return value;
}

function limitParam(req: HttpRequest): number {
  const raw = req.query.get('limit');
  if (raw === null) return 50;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new InvalidRequestError('limit must be an integer from 1 to 200');
  return limit;
}
