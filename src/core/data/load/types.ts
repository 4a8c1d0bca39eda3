import type { DriveOptions } from '../parse/stream';

export interface LoadSettings {
  skipBadLines: boolean;
  /** Peak bytes the feature matrix of one file may take. */
  memoryBudgetBytes: number;
}

/** Drive options (progress callback and cancel signal) for the file being read. */
export type ProgressFor = (file: string, fileIndex: number, fileCount: number) => DriveOptions;
