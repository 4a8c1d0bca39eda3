/** Text-ranking file parsers: TREC qrels/run/SGML/topics, MS MARCO TSV, BEIR JSONL and qrels. */
export { BeirCorpusParser, BeirQrelsParser, BeirQueriesParser, parseBeirCorpus, parseBeirQrels, parseBeirQueries, type TitledCollection } from './beir';
export { detectTextFormat, FORMAT_LABELS, type FormatGuess, type TextFormat } from './detect';
export type { ParseReport, TextParseOptions, TextParserOptions } from './lines';
export { MsMarcoTsvParser, parseMsMarcoTsv, type TextCollection } from './msmarco';
export { createTextParser, parseTextFile, type ParsedText, type TextParser } from './parsers';
export { parseTrecQrels, QrelsBuilder, TrecQrelsParser, type Qrels } from './qrels';
export { compareCodePoints, parseTrecRun, trecEvalOrder, TrecRunParser, type RankedLists, type TrecRun } from './run';
export { parseTrecSgmlDocs, parseTrecTopics, TrecSgmlDocsParser, TrecTopicsParser, type TopicCollection } from './trec-sgml';
export type { TextTable, TitledTextTable, TopicTable } from './text-table';
