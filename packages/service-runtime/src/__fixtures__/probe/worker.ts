import {
  ConfigError,
  Counter,
  defineWorker,
  type ServiceDeps,
} from '../../index.js';

/** A loop that counts rounds in a metric and can be told to die, as a crashed dispatcher would. */
export const probeLoop = { rounds: 0, die: false, stopped: false };

export const probeWorker = defineWorker({
  name: 'probe-worker',
  root: new URL('.', import.meta.url),
  serviceName: 'probe-worker-loop',
  validate(config) {
    if (config.env.PROBE_REFUSE) throw new ConfigError('PROBE_REFUSE is set');
  },
  async start({ db, metrics }: ServiceDeps) {
    Object.assign(probeLoop, { rounds: 0, die: false, stopped: false });
    const rounds = new Counter({
      name: 'probe_rounds_total',
      help: 'rounds run',
      registers: [metrics.registry],
    });
    const timer = setInterval(() => {
      if (probeLoop.die) return;
      probeLoop.rounds += 1;
      rounds.inc();
      void db.query('SELECT 1');
    }, 20);
    return {
      alive: () => !probeLoop.die,
      async stop() {
        clearInterval(timer);
        probeLoop.stopped = true;
      },
    };
  },
});
