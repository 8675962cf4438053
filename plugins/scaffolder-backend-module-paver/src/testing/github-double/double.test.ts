import { type GithubDouble, startGithubDouble } from '.';

// The double must refuse what GitHub refuses, or tests against it prove nothing.

describe('GitHub double', () => {
  let double: GithubDouble;
  beforeEach(async () => {
    double = await startGithubDouble();
  });
  afterEach(() => double.stop());

  const call = (
    method: string,
    route: string,
    body?: unknown,
    token = double.issueToken(),
  ) =>
    fetch(`${double.apiBaseUrl}${route}`, {
      method,
      headers: {
        authorization: `token ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("answers 422 to a body GitHub's REST description does not allow", async () => {
    const unknownKey = await call('POST', '/orgs/acme/repos', {
      name: 'x',
      colour: 'blue',
    });
    const badEnum = await call('POST', '/orgs/acme/repos', {
      name: 'x',
      visibility: 'secret',
    });
    const missing = await call('PUT', '/repos/acme/x/topics', {});

    expect([unknownKey.status, badEnum.status, missing.status]).toEqual([
      422, 422, 422,
    ]);
    expect(double.repos()).toEqual([]);
  });

  it('answers 401 to an unknown token and 422 to a second repository of the same name', async () => {
    expect((await call('GET', '/user', undefined, 'ghs_forged')).status).toBe(
      401,
    );
    expect((await call('POST', '/orgs/acme/repos', { name: 'x' })).status).toBe(
      201,
    );
    expect((await call('POST', '/orgs/acme/repos', { name: 'x' })).status).toBe(
      422,
    );
    expect(double.calls('POST /orgs/{org}/repos')).toBe(2);
  });

  it('refuses branch protection on a branch that was never pushed', async () => {
    await call('POST', '/orgs/acme/repos', { name: 'x' });
    const body = {
      required_status_checks: null,
      enforce_admins: false,
      required_pull_request_reviews: null,
      restrictions: null,
    };

    expect(
      (await call('PUT', '/repos/acme/x/branches/main/protection', body))
        .status,
    ).toBe(404);
  });
});
