import { useRankPlay } from '../store';

/** For a first-time visitor: what the data is, what is being trained, and how to read the chart. */
export function Explainer() {
  const data = useRankPlay((s) => s.config.data);
  const { k, gain } = useRankPlay((s) => s.config.eval);
  const summary = useRankPlay((s) => s.summary);
  const topLabel = data.labelDistribution.length - 1;

  return (
    <section className="explainer" aria-label="What am I looking at?">
      <h2>What am I looking at?</h2>
      <p>
        Each of the {data.queries.toLocaleString('en')} synthetic queries has {data.docsPerQuery} candidate documents, and each
        document is a vector of {data.features} random features. A hidden {data.relevance} function of those features, plus
        label noise, gives every document a relevance grade from 0 to {topLabel}
        {summary ? ` (${summary.trainQueries} queries train the rankers, ${summary.testQueries} are held out for testing)` : ''}.
        The rankers score documents and sort by score; here they learn from the true grades of the training queries (clicks
        come later) with a listwise softmax loss, which pushes the probability mass of each query&apos;s list towards its most
        relevant documents. The chart shows nDCG@{k} on the held-out queries: how close the top {k} of each ranking is to the
        ideal order, 1 being perfect, with {gain === 'exp2' ? 'gain 2^grade − 1 so highly relevant documents count most' : 'gain equal to the grade'}. The dashed line ranks by the hidden function itself — the best a ranker can
        hope for, since the labels it learns from are noisy.
      </p>
    </section>
  );
}
