import { defineService, HttpError } from '../../index.js';

/** A service whose operations need bearer tokens: it reports the principal it was handed. */
export const guardedService = defineService({
  name: 'guarded-service',
  root: new URL('.', import.meta.url),
  createHandlers: () => ({
    listEntries: async req => ({
      status: 200,
      body: {
        subject: req.principal?.subject,
        scopes: req.principal?.scopes,
      },
    }),
    addEntry: async () => ({ status: 201 }),
    legacy: async req => {
      if (req.headers.authorization !== 'Bearer shared') {
        throw new HttpError(401, 'unauthorized', 'the shared secret is wrong');
      }
      return { status: 200 };
    },
  }),
});
