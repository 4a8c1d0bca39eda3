import { useId, useMemo } from 'react';
import { ReferenceLine } from 'recharts';
import { useRankPlay } from '../store';
import { selectLatestPoint } from '../store/selectors';
import { chartRows, measureLabel, measureRows, rankersWithValidation, REFERENCE_COLOR, testMeasures } from './chart-data';
import { ErrorBoundary } from './ErrorBoundary';
import { lossLabel } from './training/rankers';
import { PropensityChart } from './training/PropensityChart';
import { StepChart } from './training/StepChart';

/** Test (and validation) curves of one measure, chosen from those the run reports. */
function MeasureChart() {
  const points = useRankPlay((s) => s.points);
  const latest = useRankPlay(selectLatestPoint);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const maxSteps = useRankPlay((s) => s.maxSteps);
  const reference = useRankPlay((s) => s.reference);
  const { k, gain } = useRankPlay((s) => s.config.eval);
  const headline = `ndcg@${k}`;
  // View state, not experiment state: it travels in the link's view (store/share-slice.ts).
  const picked = useRankPlay((s) => s.chartMeasure);
  const setPicked = useRankPlay((s) => s.setChartMeasure);
  const selectId = useId();

  const available = testMeasures(latest);
  const options = available.length ? available : [headline];
  const measure = picked !== null && options.includes(picked) ? picked : options.includes(headline) ? headline : options[0];

  const rows = useMemo(() => measureRows(points, rankerIds, measure), [points, rankerIds, measure]);
  const validationIds = useMemo(() => rankersWithValidation(points, rankerIds, measure), [points, rankerIds, measure]);
  // The hidden-function line is nDCG at the config's k; it means nothing for other measures.
  const hidden = measure === headline ? (reference?.hiddenFunction ?? null) : null;

  return (
    <figure className="chart" data-testid="ndcg-chart">
      <figcaption className="chart-head">
        <span>
          Test {measureLabel(measure)} <span className="muted">({gain} gain)</span>
          {validationIds.length > 0 && <span className="muted"> · dashed: validation</span>}
        </span>
        <span className="chart-control">
          <label htmlFor={selectId}>Measure</label>
          <select id={selectId} data-testid="measure-select" value={measure} onChange={(e) => setPicked(e.currentTarget.value)}>
            {options.map((m) => (
              <option key={m} value={m}>
                {measureLabel(m)}
              </option>
            ))}
          </select>
        </span>
      </figcaption>
      <StepChart rows={rows} rankerIds={rankerIds} validationIds={validationIds} maxSteps={maxSteps} height={320} yDomain={[0, 1]}>
        {hidden !== null && (
          <ReferenceLine
            y={hidden}
            stroke={REFERENCE_COLOR}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{ value: 'hidden relevance function (noise-free truth)', position: 'insideBottomLeft', fontSize: 12, fill: '#444' }}
          />
        )}
      </StepChart>
    </figure>
  );
}

function LossChart() {
  const points = useRankPlay((s) => s.points);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const maxSteps = useRankPlay((s) => s.maxSteps);
  const config = useRankPlay((s) => s.config);
  const rows = useMemo(() => chartRows(points, rankerIds, 'loss'), [points, rankerIds]);
  // Losses of different kinds (or of different estimators) live on different scales: say so.
  const losses = new Set(config.rankers.map((r) => r.loss ?? config.train.loss));
  const estimators = new Set(config.rankers.map((r) => r.estimator));
  const [only] = losses;
  const caption =
    losses.size === 1 && estimators.size === 1 ? `Training loss (${lossLabel(only)})` : 'Training loss (each ranker its own objective: compare shapes, not heights)';
  return (
    <figure className="chart chart--small" data-testid="loss-chart">
      <figcaption>{caption}</figcaption>
      <StepChart rows={rows} rankerIds={rankerIds} maxSteps={maxSteps} height={180} yDomain={['auto', 'auto']} />
    </figure>
  );
}

export function MetricsCharts() {
  return (
    <section className="charts" aria-label="Training progress">
      <ErrorBoundary panel="metric chart">
        <MeasureChart />
      </ErrorBoundary>
      <ErrorBoundary panel="loss chart">
        <LossChart />
      </ErrorBoundary>
      <ErrorBoundary panel="propensity chart">
        <PropensityChart />
      </ErrorBoundary>
    </section>
  );
}
