/**
 * Readers for real click logs: RankPlay TSV, Yandex (Relevance Prediction Challenge and
 * Personalized Web Search Challenge), Baidu-ULTR training sessions and annotated set; format
 * detection; the join of a log to a dataset by ids.
 */
import { DataError } from '../../data/parse/errors';
import { readHead, type ByteSource } from '../../data/parse/stream';
import { parseBaiduAnnotated, type BaiduAnnotated } from './baidu-annotated';
import { parseBaiduTrain, type BaiduTrainOptions, type ParsedBaiduLog } from './baidu';
import { detectClickLogFormat } from './detect';
import { parsePlainTsvClicks } from './plain-tsv';
import { CLICK_LOG_LABELS, type ClickLogFormat, type ClickLogParseOptions, type ParsedClickLog } from './types';
import { parseYandexClicks, type ParsedYandexLog, type YandexOptions } from './yandex';

export { BaiduAnnotatedParser, parseBaiduAnnotated, type BaiduAnnotated } from './baidu-annotated';
export { BaiduTrainParser, parseBaiduTrain, type BaiduDisplay, type BaiduText, type BaiduTrainOptions, type ParsedBaiduLog } from './baidu';
export { detectClickLogFormat, type ClickLogGuess } from './detect';
export { describeUnknown, joinClickLog, joinReport, type ClickLogJoin, type IdLookup, type JoinOptions, type JoinReport, type JoinTarget } from './join';
export { MAX_SLOTS } from './lines';
export { parsePlainTsvClicks, PlainTsvClickParser } from './plain-tsv';
export { listCount, tokenList, type TokenLists } from './tokens';
export { CLICK_LOG_LABELS, type ClickLogFormat, type ClickLogParseOptions, type ClickLogParserOptions, type ClickLogStats, type ParsedClickLog } from './types';
export { parseYandexClicks, YandexClickParser, type ParsedYandexLog, type YandexCounts, type YandexOptions, type YandexVariant } from './yandex';

export type AnyClickFile = ParsedClickLog | ParsedYandexLog | ParsedBaiduLog | BaiduAnnotated;

/**
 * Reads a click-log file of the given format, or of the format its first bytes show. The
 * annotated Baidu set is a relevance table, not a log: it comes back with format 'baidu-annotated'.
 */
export async function parseClickFile(
  source: ByteSource,
  opts: ClickLogParseOptions & YandexOptions & BaiduTrainOptions & { format?: ClickLogFormat } = {},
): Promise<AnyClickFile> {
  let format = opts.format;
  if (!format) {
    const guess = detectClickLogFormat(source.name, await readHead(source));
    if (!guess.format) throw new DataError({ kind: 'format', file: source.name, reason: `not a click log RankPlay reads: ${guess.reason}` });
    format = guess.format;
  }
  switch (format) {
    case 'plain-tsv':
      return parsePlainTsvClicks(source, opts);
    case 'yandex':
      return parseYandexClicks(source, opts);
    case 'baidu-train':
      return parseBaiduTrain(source, opts);
    case 'baidu-annotated':
      return parseBaiduAnnotated(source, opts);
    default:
      throw new DataError({ kind: 'format', file: source.name, reason: `unknown click-log format '${String(format)}' (known: ${Object.keys(CLICK_LOG_LABELS).join(', ')})` });
  }
}

/**
 * Reads a click-log file that must hold click sessions (to fit click models or train on): the
 * annotated Baidu set, a relevance table, is refused with a message that says so.
 */
export async function parseClickSessions(
  source: ByteSource,
  opts: ClickLogParseOptions & YandexOptions & BaiduTrainOptions & { format?: ClickLogFormat } = {},
): Promise<ParsedClickLog> {
  const parsed = await parseClickFile(source, opts);
  if (parsed.format === 'baidu-annotated' || !('log' in parsed)) {
    throw new DataError({ kind: 'format', file: source.name, reason: `${CLICK_LOG_LABELS[parsed.format]} holds relevance labels, not click sessions: fit click models to a click log` });
  }
  return parsed;
}
