-- The emails the events this service receives become (asyncapi.yaml, src/events.ts), in English.
-- Teams reword them or add locales through PUT /templates/{key}/{channel}/{locale}; a template
-- that already exists under one of these keys is kept as it is.
INSERT INTO message_templates (template_key, channel, locale, subject, body) VALUES
  ('welcome', 'email', 'en', 'Welcome aboard',
   E'Hello,\n\nyour account for {{ email }} is ready. Log in to get started.\n'),
  ('subscription-activated', 'email', 'en', 'Your {{ planName }} subscription is active',
   E'Hello,\n\nyour {{ planName }} subscription is active. Its first period ends on {{ periodEnd }}.\n'),
  ('invoice-issued', 'email', 'en', 'Invoice {{ number }}',
   E'Hello,\n\ninvoice {{ number }} for {{ amount }} has been issued and is now due.\n')
ON CONFLICT (template_key, channel, locale) DO NOTHING;
