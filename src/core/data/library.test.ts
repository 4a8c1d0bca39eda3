import { describe, expect, it } from 'vitest';
import { assignSplits, splitFromName } from './library';

describe('split roles from file names', () => {
  it('recognises LETOR fold names', () => {
    expect(['train.txt', 'vali.txt', 'test.txt', 'Fold1-train.txt.gz', 'valid.svm', 'dev.txt', 'latest.txt'].map(splitFromName)).toEqual([
      'train', 'vali', 'test', 'train', 'vali', 'vali', null,
    ]);
  });

  it('fills unnamed files as train, then test, then vali', () => {
    expect(assignSplits(['a.txt'])).toEqual({ roles: ['train'] });
    expect(assignSplits(['a.txt', 'b.txt'])).toEqual({ roles: ['train', 'test'] });
    expect(assignSplits(['test.txt', 'x.txt'])).toEqual({ roles: ['test', 'train'] });
  });

  it('refuses two files for one split, naming them', () => {
    const r = assignSplits(['train.txt', 'Fold2/train.txt']);
    expect('error' in r && r.error).toMatch(/both train\.txt and Fold2\/train\.txt look like the train split/);
  });

  it('refuses a fourth feature file', () => {
    const r = assignSplits(['a', 'b', 'c', 'd']);
    expect('error' in r && r.error).toMatch(/too many feature files/);
  });
});
