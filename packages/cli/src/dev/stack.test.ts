import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import pg from 'pg';
import { startDevStack } from './stack';
import { readService } from './workloads';

// A service as small as a repository can be and still be deployed: a Deployment whose process
// serves /readyz, reports the variables it got, and spawns a child of its own (as `npm run` does).
const SERVER = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ env: process.env, childPid: child.pid }));
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

function tinyService(name: string): string {
  const dir = path.join(tempDirSync('paver-dev-tiny-'), name);
  const files: Record<string, string> = {
    'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: ${name}}\nspec: {type: service, lifecycle: experimental, owner: group:default/platform}\n`,
    'deploy/kubernetes/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'deploy/kubernetes/deployment.yaml': `kind: Deployment
metadata: {name: ${name}}
spec:
  template:
    spec:
      containers:
        - name: api
          command: [node, server.js]
          env:
            - {name: DATABASE_URL, valueFrom: {secretKeyRef: {name: ${name}-database, key: DATABASE_URL}}}
            - {name: NATS_URL, value: "nats://nats.nats.svc.cluster.local:4222"}
          readinessProbe: {httpGet: {path: /readyz}}
`,
    'server.js': SERVER,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startDevStack', () => {
  it('runs two stacks side by side, each on its own servers, and stops every process it started', async () => {
    const service = readService(tinyService('tiny-api'));
    const lines: string[] = [];
    const start = () =>
      startDevStack([{ service, env: { GREETING: 'hello' } }], {
        baseEnv: { PATH: process.env.PATH, HOME: '/home/dev', SECRET: 'x' },
        writeLine: line => lines.push(line),
      });
    const [one, two] = await Promise.all([start(), start()]);
    const running = [one, two];
    try {
      expect(one.state.dir).not.toBe(two.state.dir);
      expect(one.state.postgres).not.toBe(two.state.postgres);
      const seen = await Promise.all(
        running.map(async stack => {
          const { url } = stack.state.services['tiny-api'];
          return (await (await fetch(`${url}/readyz`)).json()) as {
            env: Record<string, string>;
            childPid: number;
          };
        }),
      );
      for (const [i, { env }] of seen.entries()) {
        const stack = running[i].state;
        expect(env).toMatchObject({
          GREETING: 'hello',
          HOME: '/home/dev',
          NODE_ENV: 'development',
          NATS_URL: stack.nats,
          PORT: String(stack.services['tiny-api'].processes[0].port),
        });
        // Nothing of the developer's shell beyond what a process needs.
        expect(env).not.toHaveProperty('SECRET');
        // Its own database, which the stack created.
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        expect(
          (await client.query('SELECT current_database() AS db')).rows[0].db,
        ).toBe('tiny_api');
        await client.end();
      }
      expect(fs.existsSync(path.join(one.state.dir, 'stack.json'))).toBe(true);

      await Promise.all(running.splice(0).map(stack => stack.stop()));
      const pids = [
        ...[one, two].map(s => s.state.services['tiny-api'].processes[0].pid),
        ...seen.map(s => s.childPid),
      ];
      // A process group ends with its leader: the child it spawned goes too (the kernel may take
      // a moment to reap it).
      const deadline = Date.now() + 5_000;
      while (pids.some(isAlive) && Date.now() < deadline)
        await new Promise(resolve => setTimeout(resolve, 50));
      expect(pids.filter(isAlive)).toEqual([]);
      expect(fs.existsSync(one.state.dir)).toBe(false);
      expect(fs.existsSync(two.state.dir)).toBe(false);
    } finally {
      await Promise.all(running.map(stack => stack.stop()));
    }
  }, 60_000);
});
