// `--name=value` and `--flag` parsing for the benchmark scripts; an unknown flag fails loudly.

/** Parses argv against `defaults`; numbers, number lists and booleans keep their default's type. */
export function parseFlags<T extends Record<string, number | boolean | number[]>>(argv: readonly string[], defaults: T, usage: string): T {
  const flags: Record<string, number | boolean | number[]> = {...defaults};
  for (const arg of argv) {
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    const key = match && camel(match[1]!);
    if (!match || key === null || !(key in defaults)) throw new Error(`unknown argument ${arg}\n${usage}`);
    const value = match[2];
    const fallback = defaults[key];
    if (typeof fallback === 'boolean') {
      if (value !== undefined && value !== 'true' && value !== 'false') throw new Error(`--${match[1]} takes no value\n${usage}`);
      flags[key] = value !== 'false';
    } else if (Array.isArray(fallback)) {
      const list = (value ?? '').split(',').map(Number);
      if (list.length === 0 || list.some(n => !Number.isFinite(n) || n <= 0)) throw new Error(`--${match[1]} needs numbers, e.g. 100,1000\n${usage}`);
      flags[key] = list;
    } else {
      const number = Number(value);
      if (value === undefined || !Number.isFinite(number) || number < 0) throw new Error(`--${match[1]} needs a number\n${usage}`);
      flags[key] = number;
    }
  }
  return flags as T;
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
