-- The notification service's own schema. The platform layer runs this file once, inside the
-- service's schema (search_path), so table names are unqualified.

CREATE TABLE message_templates (
  template_key text NOT NULL,
  channel      text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
  locale       text NOT NULL,
  subject      text,
  body         text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_key, channel, locale)
);

CREATE TABLE recipients (
  recipient_id text PRIMARY KEY,
  email        text,
  phone        text,
  locale       text,
  -- Channels this recipient opted out of; checked when a notification is accepted and again
  -- just before it is sent, so an opt-out also stops messages already queued.
  opted_out    text[] NOT NULL DEFAULT '{}',
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per message the dispatcher must deliver. Written in the same transaction as the
-- notification (or digest) that produced it.
CREATE TABLE outbox (
  message_id          uuid PRIMARY KEY,
  channel             text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
  recipient_id        text NOT NULL,
  address             text,
  subject             text,
  body                text NOT NULL,
  status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'dead', 'suppressed')),
  attempts            integer NOT NULL DEFAULT 0,
  max_attempts        integer NOT NULL CHECK (max_attempts > 0),
  next_attempt_at     timestamptz NOT NULL,
  -- Set on each claim; only the holder of the current token may record the outcome.
  claim_token         uuid,
  last_error          text,
  provider_message_id text,
  created_at          timestamptz NOT NULL,
  sent_at             timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';

-- Low-priority notifications wait here and leave as one message per recipient, channel and period.
CREATE TABLE digests (
  digest_id    uuid PRIMARY KEY,
  recipient_id text NOT NULL,
  channel      text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
  locale       text NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_at    timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  message_id   uuid REFERENCES outbox (message_id)
);
-- At most one open digest per recipient and channel: concurrent low-priority notifications join it.
CREATE UNIQUE INDEX digests_one_open ON digests (recipient_id, channel) WHERE status = 'open';
CREATE INDEX digests_due ON digests (due_at) WHERE status = 'open';

CREATE TABLE notifications (
  notification_id uuid PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  -- sha256 of the request body, so a key reused with a different request is refused.
  request_hash    text NOT NULL,
  recipient_id    text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
  template_key    text NOT NULL,
  locale          text NOT NULL,
  priority        text NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
  subject         text,
  body            text NOT NULL,
  suppressed      boolean NOT NULL DEFAULT false,
  message_id      uuid REFERENCES outbox (message_id),
  digest_id       uuid REFERENCES digests (digest_id),
  created_at      timestamptz NOT NULL
);
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;

-- The in-app channel's mailbox. Keyed by the outbox message, so a re-sent message lands once.
CREATE TABLE inbox (
  message_id   uuid PRIMARY KEY REFERENCES outbox (message_id),
  recipient_id text NOT NULL,
  subject      text,
  body         text NOT NULL,
  created_at   timestamptz NOT NULL,
  read_at      timestamptz
);
CREATE INDEX inbox_by_recipient ON inbox (recipient_id, created_at DESC);
