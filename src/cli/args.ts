/** A tiny argv parser: the CLI has few flags, and a dependency would cost more than it saves. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--backend', '--steps', '--backends', '--base', '--parse', '--data', '--run-out', '--qrels-out', '--models', '--warmup', '--seconds']);

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) flags.set(arg.slice(0, eq), arg.slice(eq + 1));
      else if (VALUE_FLAGS.has(arg)) {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
        flags.set(arg, value);
        i++;
      } else flags.set(arg, true);
    } else if (arg === '-h') flags.set('--help', true);
    else positionals.push(arg);
  }
  return { positionals, flags };
}

export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${String(v)}'`);
  return n;
}
