import type { ClickLog } from '../log';
import type { DriveOptions } from '../../data/parse/stream';
import type { ParseReport } from '../../data/text/lines';

/** The click-log formats RankPlay reads. */
export type ClickLogFormat = 'plain-tsv' | 'yandex' | 'baidu-train' | 'baidu-annotated';

/** How messages name each format: what it is and what a line looks like. */
export const CLICK_LOG_LABELS: Record<ClickLogFormat, string> = {
  'plain-tsv': 'a RankPlay click log (session<TAB>query<TAB>rank<TAB>doc<TAB>click[<TAB>dwell])',
  yandex: 'a Yandex click log (SessionID TimePassed Q|C … records)',
  'baidu-train': 'Baidu-ULTR training sessions (a query line, then one line per shown document)',
  'baidu-annotated': 'the Baidu-ULTR annotated set (qid, query, title, abstract, label, bucket)',
};

export interface ClickLogParserOptions {
  /**
   * Drop what fails to parse instead of stopping at the first problem, and report it in
   * `skipped`. A bad line drops its whole session (a session with a hole would bias click
   * models); problems with the file as a whole (binary, invalid UTF-8, empty) still stop it.
   */
  skipBadLines?: boolean;
  /**
   * Keep only the top k slots of each session; results shown lower are dropped and counted
   * (`stats.slotsBeyondK`, `stats.clicksBeyondK`). Default: the largest rank seen.
   */
  k?: number;
}

export type ClickLogParseOptions = ClickLogParserOptions & DriveOptions;

/** Counts a person should see next to a loaded click log. */
export interface ClickLogStats {
  /** Sessions in the log (after drops). */
  sessions: number;
  /** Filled slots in the log. */
  impressions: number;
  clicks: number;
  /** Sessions that showed nothing (a query with no results), dropped. */
  emptySessions: number;
  /** Sessions dropped under skipBadLines because one of their lines was bad. */
  droppedSessions: number;
  /** Results shown below the `k` option, dropped, and the clicks on them. */
  slotsBeyondK: number;
  clicksBeyondK: number;
}

/** What every click-log parser returns: the log, counts, warnings and skipped lines. */
export interface ParsedClickLog extends ParseReport {
  format: ClickLogFormat;
  log: ClickLog;
  stats: ClickLogStats;
}
