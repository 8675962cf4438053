import { findRunbook } from './runbook';

const LINKED =
  'https://git.example.com/payments/billing-api/blob/main/docs/runbook.md';

describe('findRunbook', () => {
  it('takes the link titled like "Runbook", the one the catalog resolves from the annotation', () => {
    expect(
      findRunbook({
        metadata: {
          annotations: { 'paver.dev/runbook': 'docs/runbook.md' },
          links: [
            { url: 'https://dash.example.com/billing-api', title: 'Dashboard' },
            { url: LINKED, title: 'On-call RUNBOOK' },
          ],
        },
      }),
    ).toEqual({ url: LINKED });
  });

  it('falls back to the annotation: linked when it is an http(s) URL, named when it is a path', () => {
    expect(
      findRunbook({
        metadata: { annotations: { 'paver.dev/runbook': LINKED } },
      }),
    ).toEqual({ url: LINKED });
    expect(
      findRunbook({
        metadata: { annotations: { 'paver.dev/runbook': 'docs/runbook.md' } },
      }),
    ).toEqual({ path: 'docs/runbook.md' });
  });

  it('never links a script, and has nothing without a link or annotation', () => {
    expect(
      findRunbook({
        metadata: {
          links: [{ url: 'javascript:alert(1)', title: 'Runbook' }],
          annotations: { 'paver.dev/runbook': 'javascript:alert(1)' },
        },
      }),
    ).toEqual({ path: 'javascript:alert(1)' });
    expect(findRunbook({ metadata: {} })).toBeUndefined();
  });
});
