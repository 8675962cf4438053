import os from 'node:os';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../io';

/** A non-interactive CliIo whose stdout and stderr are captured into one text. */
export function captureIo() {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', d => (text += d));
  const io: CliIo = {
    stdout,
    stderr: stdout,
    cwd: os.tmpdir(),
    interactive: false,
    ask: async () => undefined,
  };
  return { io, output: () => text };
}
