import { useRankPlay } from '../store';
import { NORMALIZATION_OPTIONS } from './DataSettings';

/** For a first-time visitor: what the data is, what is being trained, and how to read the chart. */
export function Explainer() {
  const data = useRankPlay((s) => s.config.data);
  const { k, gain } = useRankPlay((s) => s.config.eval);
  const summary = useRankPlay((s) => s.summary);
  if (data.kind === 'stored') {
    const normalization = NORMALIZATION_OPTIONS.find((o) => o.value === data.normalization)?.label ?? data.normalization;
    return (
      <section className="explainer" aria-label="What am I looking at?">
        <h2>What am I looking at?</h2>
        <p>
          The rankers train on your data set &ldquo;{data.name}&rdquo;
          {summary
            ? ` (${summary.trainQueries.toLocaleString('en')} training queries, ${summary.testQueries.toLocaleString('en')} test queries, ${summary.documents.toLocaleString('en')} documents with ${summary.features} features each)`
            : ''}
          . Feature normalisation: {normalization}, fitted on the training split only so that nothing about the test queries leaks
          into training. The rankers learn from the judged grades of the training queries with a listwise softmax loss. The chart
          shows nDCG@{k} on the test queries, 1 being the ideal order, with{' '}
          {gain === 'exp2' ? 'gain 2^grade − 1 so highly relevant documents count most' : 'gain equal to the grade'}.
        </p>
      </section>
    );
  }
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
