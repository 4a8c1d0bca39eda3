import { drive, type ByteSource, type DriveOptions } from '../parse/stream';
import { GroupFileParser } from './group-file';
import { LetorParser, type LetorOptions, type LetorResult } from './parser';

export { LetorParser, type LetorOptions, type LetorResult } from './parser';
export { GroupFileParser } from './group-file';

/** Streams a LETOR / SVMlight file (optionally .gz) into a columnar dataset. */
export async function parseLetor(source: ByteSource, opts: Omit<LetorOptions, 'fileName'> = {}, drive_: DriveOptions = {}): Promise<LetorResult> {
  const parser = new LetorParser({ ...opts, fileName: source.name });
  await drive(source, parser, drive_);
  return parser.finish();
}

/** Reads a LightGBM `.query` / XGBoost `.group` file. */
export async function parseGroupFile(source: ByteSource, drive_: DriveOptions = {}): Promise<Int32Array> {
  const parser = new GroupFileParser(source.name);
  await drive(source, parser, drive_);
  return parser.finish();
}
