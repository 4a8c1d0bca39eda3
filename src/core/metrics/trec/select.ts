import { TREC_MEASURES, TREC_NICKNAMES, UNSUPPORTED_TREC_MEASURES, type TrecMeasure } from './measures';
import { formatFixedWidth } from './printf';

/** A measure to compute, with its parameters and the names its values print under. */
export interface SelectedMeasure {
  measure: TrecMeasure;
  params: readonly number[];
  /** One per value; empty for runid, whose single line is not a number. */
  valueNames: readonly string[];
}

/** A -m argument that names no measure RankPlay computes, or has malformed parameters. */
export class TrecMeasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrecMeasureError';
  }
}

export function supportedMeasuresText(): string {
  return (
    `supported measures: ${TREC_MEASURES.map((m) => m.name).join(', ')}; ` +
    `nicknames: ${Object.keys(TREC_NICKNAMES).join(', ')} (each stands for the measures above that trec_eval lists under it)`
  );
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumbers(measure: string, text: string): number[] {
  return text.split(',').map((token) => {
    if (!NUMBER.test(token)) throw new TrecMeasureError(`${measure}: parameter '${token}' is not a number`);
    return Number(token);
  });
}

function sortedUnique(measure: string, values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new TrecMeasureError(`${measure}: cutoff ${sorted[i]} is given twice (trec_eval refuses duplicate cutoffs)`);
  }
  return sorted;
}

function withParams(m: TrecMeasure, text: string | undefined): SelectedMeasure {
  if (m.name === 'runid') {
    if (text !== undefined) throw new TrecMeasureError('runid takes no parameters');
    return { measure: m, params: [], valueNames: [] };
  }
  switch (m.params) {
    case 'none':
      if (text !== undefined) {
        const hint = m.name === 'map' || m.name === 'ndcg' ? ` (for a cutoff use ${m.name === 'map' ? 'map_cut' : 'ndcg_cut'}.${text})` : '';
        throw new TrecMeasureError(`${m.name} takes no parameters${m.name === 'ndcg' ? ' (gain parameters such as ndcg.1=3 are not supported)' : ''}${hint}`);
      }
      return { measure: m, params: [], valueNames: [m.name] };
    case 'longCutoffs': {
      const ks =
        text === undefined
          ? [...m.defaults]
          : sortedUnique(
              m.name,
              text.split(',').map((token) => {
                const k = /^\+?\d+$/.test(token) ? Number(token) : NaN;
                if (!Number.isSafeInteger(k) || k <= 0) throw new TrecMeasureError(`${m.name}: cutoff '${token}' is not a positive integer`);
                return k;
              }),
            );
      return { measure: m, params: ks, valueNames: ks.map((k) => `${m.name}_${k}`) };
    }
    case 'doubleCutoffs': {
      const points = text === undefined ? [...m.defaults] : sortedUnique(m.name, parseNumbers(m.name, text));
      return { measure: m, params: points, valueNames: points.map((p) => `${m.name}_${formatFixedWidth(p, 3, 2)}`) };
    }
    case 'doubleParams': {
      const params = text === undefined ? [...m.defaults] : parseNumbers(m.name, text);
      return { measure: m, params, valueNames: [text === undefined ? m.name : `${m.name}_${text}`] };
    }
  }
}

/**
 * The measures that trec_eval's `-m` arguments select (trec_eval.c mark_measure, meas_init.c),
 * in trec_eval's output order. No argument means `official`.
 *
 * `name.params` marks `name` and gives it parameters; a measure given parameters more than once
 * takes the first set, as trec_eval does (`-m P.5 -m P.10` prints P_5 only). Nicknames mark every
 * measure of their list that RankPlay computes. `notes` collects what was ignored. Unlike trec_eval, which ignores them, parameters on
 * a measure or nickname that takes none are refused: `map.10` is almost surely meant as map_cut.10.
 */
export function selectMeasures(args: readonly string[], notes: string[] = []): SelectedMeasure[] {
  const marked = new Set<string>();
  const params = new Map<string, string>();
  for (const arg of args.length ? args : ['official']) {
    const dot = arg.indexOf('.');
    const name = dot < 0 ? arg : arg.slice(0, dot);
    const text = dot < 0 ? undefined : arg.slice(dot + 1);
    if (text === '') throw new TrecMeasureError(`'${arg}': parameters after the '.' are missing`);
    const nickname = TREC_NICKNAMES[name];
    if (nickname && Object.prototype.hasOwnProperty.call(TREC_NICKNAMES, name)) {
      if (text !== undefined) throw new TrecMeasureError(`${name} is a group of measures and takes no parameters`);
      for (const member of nickname) if (TREC_MEASURES.some((m) => m.name === member)) marked.add(member);
      continue;
    }
    if (!TREC_MEASURES.some((m) => m.name === name)) {
      const why = UNSUPPORTED_TREC_MEASURES.includes(name) ? `trec_eval measure '${name}' is not supported` : `unknown measure '${name}'`;
      throw new TrecMeasureError(`${why}; ${supportedMeasuresText()}`);
    }
    marked.add(name);
    if (text !== undefined) {
      if (!params.has(name)) params.set(name, text);
      else notes.push(`${name}: parameters '${text}' ignored; the first ones given ('${params.get(name)}') are used, as in trec_eval`);
    }
  }
  return TREC_MEASURES.filter((m) => marked.has(m.name)).map((m) => withParams(m, params.get(m.name)));
}
