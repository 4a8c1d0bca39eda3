import type { ChunkConsumer } from '../parse/stream';
import { drive, type ByteSource } from '../parse/stream';
import { BeirCorpusParser, BeirQrelsParser, BeirQueriesParser, type TitledCollection } from './beir';
import type { TextFormat } from './detect';
import type { TextParseOptions, TextParserOptions } from './lines';
import { MsMarcoTsvParser, type TextCollection } from './msmarco';
import { TrecQrelsParser, type Qrels } from './qrels';
import { TrecRunParser, type TrecRun } from './run';
import { TrecSgmlDocsParser, TrecTopicsParser, type TopicCollection } from './trec-sgml';

/** What any text parser gives, tagged by format, for callers that pick the format at run time. */
export type ParsedText =
  | { format: 'trec-qrels' | 'beir-qrels'; qrels: Qrels }
  | { format: 'trec-run'; run: TrecRun }
  | { format: 'msmarco-tsv' | 'beir-queries' | 'trec-sgml-docs'; collection: TextCollection }
  | { format: 'beir-corpus'; collection: TitledCollection }
  | { format: 'trec-topics'; topics: TopicCollection };

export interface TextParser extends ChunkConsumer {
  /** Call once after the last chunk. */
  finish(): ParsedText;
}

/** An incremental parser for `format`; feed it with push() (or drive()) and call finish(). */
export function createTextParser(format: TextFormat, file: string, opts: TextParserOptions = {}): TextParser {
  const wrap = <R,>(p: ChunkConsumer & { finish(): R }, tag: (r: R) => ParsedText): TextParser => ({
    push: (chunk) => p.push(chunk),
    get rows() {
      return p.rows;
    },
    finish: () => tag(p.finish()),
  });
  switch (format) {
    case 'trec-qrels':
      return wrap(new TrecQrelsParser(file, opts), (qrels) => ({ format, qrels }));
    case 'beir-qrels':
      return wrap(new BeirQrelsParser(file, opts), (qrels) => ({ format, qrels }));
    case 'trec-run':
      return wrap(new TrecRunParser(file, opts), (run) => ({ format, run }));
    case 'msmarco-tsv':
      return wrap(new MsMarcoTsvParser(file, opts), (collection) => ({ format, collection }));
    case 'beir-queries':
      return wrap(new BeirQueriesParser(file, opts), (collection) => ({ format, collection }));
    case 'trec-sgml-docs':
      return wrap(new TrecSgmlDocsParser(file, opts), (collection) => ({ format, collection }));
    case 'beir-corpus':
      return wrap(new BeirCorpusParser(file, opts), (collection) => ({ format, collection }));
    case 'trec-topics':
      return wrap(new TrecTopicsParser(file, opts), (topics) => ({ format, topics }));
  }
}

export async function parseTextFile(source: ByteSource, format: TextFormat, opts: TextParseOptions = {}): Promise<ParsedText> {
  const parser = createTextParser(format, source.name, opts);
  await drive(source, parser, opts);
  return parser.finish();
}
