/**
 * The paver command line. Loading this module runs it with the process's arguments; tests use
 * `createProgram` from ./program instead.
 *
 * @packageDocumentation
 */
import { main } from './program';

// Failure until main settles: if Node runs out of work while a promise is still pending (a prompt
// with no input, say), the process must not exit 0 having done nothing.
process.exitCode = 1;
let settled = false;
process.on('exit', () => {
  if (!settled) process.stderr.write('paver: stopped before finishing\n');
});
main(process.argv).then(code => {
  settled = true;
  process.exitCode = code;
});
