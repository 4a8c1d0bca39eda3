/** A small qrels and run for golden tests of trec_eval mode (golden.test.ts, the CLI's eval tests). */

export const GOLDEN_QRELS = `# query 1: grades 0..3 and a negative grade (d5: in the pool, not judged)
1 0 d1 3
1 0 d2 0
1 0 d3 1
1 0 d4 2
1 0 d5 -1
1 0 d6 1
1 0 d7 0
10 0 a 1
10 0 b 0
10 0 c 2
2 0 e1 0
2 0 e2 0
3 0 g1 1
`;

// Queries out of qid order; the rank column contradicts the scores (trec_eval ignores it). Query 4
// has no judgements (ignored, so its duplicate document is never looked at), query 3 is missing.
export const GOLDEN_RUN = `2 Q0 e3 1 1.0 tagA
2 Q0 e1 2 2.0 tagA
10 Q0 a 1 1.0 tagA
10 Q0 b 2 1.0 tagA
10 Q0 c 3 1.0 tagA
4 Q0 h1 1 1.0 tagA
4 Q0 h1 2 1.0 tagA
1 Q0 d2 1 5.0 tagA
1 Q0 d1 2 4.0 tagA
1 Q0 d5 3 4.0 tagA
1 Q0 d9 4 3.0 tagA
1 Q0 d3 5 2.0 tagA
`;
