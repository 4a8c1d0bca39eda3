import type { TrecEvalResult } from './evaluate';
import { formatFixedWidth, formatLong, padRight } from './printf';

export interface TrecFormatOptions {
  /** -q: a block of lines per evaluated query before the summary. */
  perQuery?: boolean;
  /** -n turns this off: no `all` lines. */
  summary?: boolean;
}

/**
 * One trec_eval output line (meas_print_single.c, meas_print_final.c, m_runid.c):
 * printf("%-22s\t%s\t%6.4f\n") for float measures, "%ld" of the value cast to long for counts,
 * "%s" for the run id.
 */
export function trecEvalLine(name: string, qid: string, value: string): string {
  return `${padRight(name, 22)}\t${qid}\t${value}\n`;
}

function valueText(kind: 'float' | 'long', value: number): string {
  return kind === 'long' ? formatLong(value) : formatFixedWidth(value, 6, 4);
}

/**
 * trec_eval's output for a result: with -q, each evaluated query's lines (measures in trec_eval's
 * order, summary-only measures left out), then the `all` lines, runid first.
 */
export function formatTrecEval(result: TrecEvalResult, opts: TrecFormatOptions = {}): string {
  const out: string[] = [];
  if (opts.perQuery) {
    for (const q of result.queries) {
      let slot = 0;
      for (const m of result.measures) {
        for (const name of m.valueNames) {
          if (m.measure.perQuery) out.push(trecEvalLine(name, q.qid, valueText(m.measure.kind, q.values[slot])));
          slot++;
        }
      }
    }
  }
  if (opts.summary ?? true) {
    let slot = 0;
    for (const m of result.measures) {
      if (m.measure.summary === 'runid') out.push(trecEvalLine('runid', 'all', result.runid));
      for (const name of m.valueNames) out.push(trecEvalLine(name, 'all', valueText(m.measure.kind, result.summary[slot++])));
    }
  }
  return out.join('');
}
