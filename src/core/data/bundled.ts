/**
 * Feature data sets the app ships under public/ (issue 9: a link can name one, and any browser can
 * load it, unlike a set that lives in one browser's IndexedDB). Paths are relative to the site's
 * base (`import.meta.env.BASE_URL` in the app), so a link names the set, never a host.
 */
export const BUNDLED_SET_NAMES = ['rankplay-demo-letor'] as const;
export type BundledSetName = (typeof BUNDLED_SET_NAMES)[number];

export interface BundledSet {
  name: BundledSetName;
  /** What the data panel shows. */
  title: string;
  description: string;
  /** Files relative to the site's base; LETOR split roles come from their names (train.txt, test.txt). */
  files: readonly string[];
}

export const BUNDLED_SETS: readonly BundledSet[] = [
  {
    name: 'rankplay-demo-letor',
    title: 'RankPlay demo passages as LETOR features',
    description:
      '17 learning-to-rank features (BM25 of title, body and whole with three settings, TF and TF-IDF, query-term coverage, lengths, a Dirichlet language model) of the top 30 BM25 candidates of each demo query, plus any judged passage BM25 missed, labelled with the graded judgements 0–3. Split by topic, as the passages are: the test topics are unseen in train.',
    files: ['demo/rankplay-demo-letor/train.txt', 'demo/rankplay-demo-letor/test.txt'],
  },
];

export function bundledSet(name: string): BundledSet | undefined {
  return BUNDLED_SETS.find((s) => s.name === name);
}
