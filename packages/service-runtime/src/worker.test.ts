import { probeLoop, probeWorker } from './__fixtures__/probe/worker.js';
import { startTestWorker } from './testing/index.js';

describe('a worker on the runtime', () => {
  it('migrates, runs its loop, and answers /healthz, /readyz and /metrics like a service', async () => {
    const worker = await startTestWorker(probeWorker);
    try {
      expect(
        await worker.db.query('SELECT count(*)::int AS n FROM items'),
      ).toEqual([{ n: 0 }]);
      await expect
        .poll(() => probeLoop.rounds, { timeout: 5000 })
        .toBeGreaterThan(2);
      expect((await fetch(`${worker.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker.baseUrl}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${worker.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^probe_rounds_total [1-9]/m);
      expect(metrics).toContain('process_cpu_seconds_total');
    } finally {
      await worker.stop();
    }
    expect(probeLoop.stopped).toBe(true);
  });

  it('refuses a bad setting of its own before it migrates, and names itself in logs', async () => {
    await expect(
      startTestWorker(probeWorker, {
        env: { PROBE_REFUSE: '1', DATABASE_SCHEMA: 'probe_refused' },
      }),
    ).rejects.toThrow('PROBE_REFUSE is set');
    const lines: string[] = [];
    const worker = await startTestWorker(probeWorker, {
      writeLog: line => lines.push(line),
    });
    try {
      const refused = await worker.db.query(
        "SELECT 1 FROM information_schema.schemata WHERE schema_name = 'probe_refused'",
      );
      expect(refused).toEqual([]);
      expect(JSON.parse(lines[0]).service).toBe('probe-worker-loop');
      expect(worker.config.databaseSchema).toMatch(/^test_/);
    } finally {
      await worker.stop();
    }
  });

  it('fails /healthz once its loop died, so the orchestrator restarts it', async () => {
    const worker = await startTestWorker(probeWorker);
    try {
      probeLoop.die = true;
      const res = await fetch(`${worker.baseUrl}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'failed' });
    } finally {
      await worker.stop();
    }
  });

  it('fails /readyz first when stopping, then stops the loop', async () => {
    const worker = await startTestWorker(probeWorker, {
      env: { SHUTDOWN_DELAY_MS: '300' },
    });
    const stopped = worker.stop();
    expect((await fetch(`${worker.baseUrl}/readyz`)).status).toBe(503);
    expect(probeLoop.stopped).toBe(false);
    await stopped;
    expect(probeLoop.stopped).toBe(true);
  });
});
