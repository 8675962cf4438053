/** Command-line flags shared by the benchmarks: `--name`, `--name <non-negative number>`, `--name <one of>`. */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number`);
  return n;
}

export function choiceArg<T extends string>(
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1] as T;
  if (!choices.includes(value))
    throw new Error(`--${name} needs one of ${choices.join(', ')}`);
  return value;
}
