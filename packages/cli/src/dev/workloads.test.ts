import fs from 'node:fs';
import path from 'node:path';
import { renderedGoldenPath } from '../__testUtils__/renderedGoldenPath';
import { DevStackError } from '../errors';
import { readService } from './workloads';

describe('readService', () => {
  it("reads notification's API and worker as its Kustomize base deploys them", async () => {
    const service = readService(
      await renderedGoldenPath('notification-service'),
    );
    expect(service.name).toBe('notification-api');
    expect(service.needs).toEqual(['auth-api', 'billing-api']);
    const [api, worker] = service.workloads;
    expect(api.name).toBe('notification-api');
    // No command in the Deployment: the Dockerfile's CMD.
    expect(api.command).toEqual(['node', 'dist/main.js']);
    expect(api.readyPath).toBe('/readyz');
    // The kustomization's inline patch gives the API the providers' settings too.
    expect(api.envFromSecrets).toEqual(['notification-api-providers']);
    expect(api.env.map(e => e.name)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'NATS_URL', 'AUTH_JWKS_URL']),
    );
    expect(worker).toMatchObject({
      name: 'notification-api-worker',
      command: ['node', 'dist/worker.js'],
      envFromSecrets: ['notification-api-providers'],
      readyPath: '/readyz',
    });
  });

  it('reads auth, which needs nobody, with its generated secrets', async () => {
    const service = readService(await renderedGoldenPath('auth-service'));
    expect(service.needs).toEqual([]);
    const [api] = service.workloads;
    expect(
      api.env
        .filter(e => e.valueFrom?.secretKeyRef?.name === 'auth-api-generated')
        .map(e => e.name),
    ).toEqual(['KEYS_ADMIN_TOKEN', 'INTROSPECTION_TOKEN']);
  });

  it('names the file when the repository has no Kustomize base', async () => {
    const dir = await renderedGoldenPath('billing-service');
    fs.rmSync(path.join(dir, 'deploy'), { recursive: true });
    expect(() => readService(dir)).toThrow(DevStackError);
    expect(() => readService(dir)).toThrow(
      `${path.join(
        dir,
        'deploy/kubernetes/kustomization.yaml',
      )}: cannot be read (ENOENT)`,
    );
  });

  it('names the Deployment and field a malformed manifest gets wrong', async () => {
    const dir = await renderedGoldenPath('billing-service');
    const file = path.join(dir, 'deploy/kubernetes/deployment.yaml');
    fs.writeFileSync(
      file,
      'kind: Deployment\nmetadata: {name: billing-api}\nspec: {template: {spec: {containers: []}}}\n',
    );
    expect(() => readService(dir)).toThrow(
      `${file}: spec.template.spec.containers:`,
    );
  });

  it("names the patch's container that the Deployment does not have", async () => {
    const dir = await renderedGoldenPath('notification-service');
    const file = path.join(dir, 'deploy/kubernetes/kustomization.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('- name: api\n');
    fs.writeFileSync(file, text.replace('- name: api\n', '- name: apx\n'));
    expect(() => readService(dir)).toThrow(
      `${file}: the patch of notification-api names container apx, which it has not`,
    );
  });
});
