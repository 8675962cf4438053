import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { CommandFailedError, DevStackError } from '../errors';
import { CliIo, step } from '../io';
import { runCommand } from '../runCommand';
import { startOrder } from '../dev/order';
import { startDevStack, type DevStack, type StackService } from '../dev/stack';
import { readStackFile, STACK_FILE } from '../dev/stackFile';
import { readService } from '../dev/workloads';

export interface DevOptions {
  /** The stack file. @default ./paver-dev.yaml */
  file?: string;
  /** OTLP/HTTP endpoint for every service's traces; none: services export no traces. */
  otlp?: string;
  /** Start what is built; skip `npm ci` and `npm run build`. */
  build: boolean;
}

/** How the running stack is driven: command lines (`rs <service>`) and the signal to stop. */
export interface DevControls {
  readonly input: NodeJS.ReadableStream;
  readonly stopped: Promise<unknown>;
}

/**
 * `paver dev`: builds each service of the stack file, starts PostgreSQL, NATS and a mail sink, then
 * the services in dependency order, each process as its Deployment runs it with cluster addresses
 * replaced by the stack's; runs until `controls.stopped`, then stops everything it started.
 */
export async function dev(
  options: DevOptions,
  io: CliIo,
  controls: DevControls,
): Promise<void> {
  const file = path.resolve(io.cwd, options.file ?? STACK_FILE);
  const services = readServices(file);
  const ordered = startOrder(services.map(s => s.service)).map(
    service => services.find(s => s.service === service)!,
  );
  if (options.build) {
    for (const { service } of ordered)
      await build(service.name, service.dir, io);
  }
  const stack = await startDevStack(ordered, {
    otlpUrl: options.otlp,
    baseEnv: io.env ?? {},
    writeLine: line => io.stdout.write(`${line}\n`),
  });
  const commands = createInterface({ input: controls.input });
  try {
    printStack(stack, io);
    const rebuild = async (name: string) => {
      const found = ordered.find(s => s.service.name === name)!;
      if (options.build) await build(name, found.service.dir, io);
    };
    await Promise.race([
      controls.stopped,
      serveCommands(stack, rebuild, io, commands),
    ]);
  } finally {
    // An open terminal or pipe would otherwise keep the process alive after the stack is gone.
    commands.close();
    (controls.input as Partial<NodeJS.ReadStream>).destroy?.();
    io.stdout.write('stopping the stack…\n');
    await stack.stop();
    step(io, 'stopped every process, the mail sink, NATS and PostgreSQL');
  }
}

function readServices(file: string): StackService[] {
  const stackFile = readStackFile(file);
  const services = stackFile.services.map(entry => ({
    service: readService(entry.path),
    env: entry.env,
  }));
  const names = services.map(s => s.service.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new DevStackError(`${file}: lists service ${twice} twice`);
  return services;
}

/** `npm ci` once (no node_modules yet), then `npm run build`, as the service's CI does. */
async function build(name: string, dir: string, io: CliIo) {
  const steps = existsSync(path.join(dir, 'node_modules'))
    ? [['npm', 'run', 'build']]
    : [
        ['npm', 'ci', '--no-audit', '--no-fund'],
        ['npm', 'run', 'build'],
      ];
  for (const command of steps) {
    const started = Date.now();
    const code = await runCommand(command, dir, io, io.env);
    if (code !== 0)
      throw new CommandFailedError(
        `${name}: "${command.join(
          ' ',
        )}" failed with exit code ${code} in ${dir}`,
      );
    step(
      io,
      `${name}: ${command.join(' ')} (${((Date.now() - started) / 1000).toFixed(
        1,
      )} s)`,
    );
  }
}

function printStack(stack: DevStack, io: CliIo) {
  const { state } = stack;
  for (const [name, service] of Object.entries(state.services))
    step(
      io,
      `${name} ready at ${service.url} (${service.processes
        .map(p => p.name)
        .join(', ')})`,
    );
  io.stdout.write(
    [
      `PostgreSQL ${state.postgres}`,
      `NATS       ${state.nats}`,
      `mail sink  ${state.smtp}, messages in ${state.mailDir}`,
      `state      ${path.join(state.dir, 'stack.json')}`,
      'type "rs <service>" to rebuild and restart one; Ctrl-C stops everything',
      '',
    ].join('\n'),
  );
}

/** Serves `rs <service>` lines until the input ends (which leaves the stack running). */
async function serveCommands(
  stack: DevStack,
  rebuild: (service: string) => Promise<void>,
  io: CliIo,
  commands: Interface,
): Promise<never> {
  for await (const line of commands) {
    const [command, name] = line.trim().split(/\s+/);
    if (!command) continue;
    const service = stack.state.services[name ?? ''];
    if (command !== 'rs' || !service) {
      io.stderr.write(
        `unknown command "${line.trim()}": rs <service>, one of ${Object.keys(
          stack.state.services,
        ).join(', ')}\n`,
      );
      continue;
    }
    try {
      await rebuild(name);
      await stack.restart(name);
      step(io, `${name} restarted`);
    } catch (error) {
      io.stderr.write(`paver: ${(error as Error).message}\n`);
    }
  }
  return new Promise<never>(() => undefined);
}
