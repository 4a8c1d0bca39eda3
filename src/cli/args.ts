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

/** A usage mistake on the command line (exit code 2 and the message, no stack). */
export class UsageError extends Error {}

/**
 * A strict flag parser for commands with many options (bm25, rerank): every argument must be a
 * known flag, `--name value` or `--name=value` for valued flags; unknown flags and stray
 * positionals are refused by name. Returns 'help' for -h / --help.
 */
export function parseStrictFlags(
  argv: readonly string[],
  valueFlags: ReadonlySet<string>,
  boolFlags: ReadonlySet<string>,
  positionalHint = '',
): Map<string, string | true> | 'help' {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valueFlags.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      flags.set(name, value);
    } else if (boolFlags.has(name) && eq < 0) flags.set(name, true);
    else throw new UsageError(arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}'${positionalHint}`);
  }
  return flags;
}
