import type { ClickFitView, ClickInterventionView, ClickSimResult } from '../../../worker/protocol';

const num = (v: number | null | undefined, digits = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');

/** θ_k/θ_1 estimated from the intervention, with its interval, beside the truth (÷ rank 1). */
export function PropensityTable({ result, intervention: iv }: { result: ClickSimResult; intervention: ClickInterventionView }) {
  const first = result.trueExamination[0];
  const name = iv.kind === 'randtop' ? `RandTop-${iv.n}` : `Swap (rank 1 ↔ k ≤ ${iv.n}, ${Math.round(iv.fraction * 100)}% of sessions)`;
  return (
    <table className="click-table" data-testid="propensity-table">
      <caption>
        {name} on {iv.intervened.toLocaleString('en')} sessions: propensity θ_k/θ_1, {Math.round(iv.confidence * 100)}% interval. Fitted η {num(iv.eta.eta)} ±{' '}
        {num(iv.eta.se)}
        {result.model !== 'pbm' || result.trustBias ? ' (the estimator assumes PBM without trust bias: expect a gap)' : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">rank</th>
          <th scope="col">estimate</th>
          <th scope="col">interval</th>
          <th scope="col">truth</th>
          <th scope="col">covers?</th>
        </tr>
      </thead>
      <tbody>
        {iv.estimates.map((e) => {
          const truth = first > 0 ? result.trueExamination[e.rank - 1] / first : Number.NaN;
          // Rank 1 is 1 by definition (zero width): nothing to cover.
          const covers = e.rank === 1 ? null : e.low <= truth && truth <= e.high;
          return (
            <tr key={e.rank} data-testid="propensity-row" data-rank={e.rank} data-covers={covers === null ? '' : String(covers)}>
              <td className="num">{e.rank}</td>
              <td className="num">{num(e.propensity)}</td>
              <td className="num">{e.rank === 1 ? '(reference)' : `${num(e.low)} – ${num(e.high)}`}</td>
              <td className="num">{num(truth)}</td>
              <td className="click-covers">{covers === null ? '' : covers ? '✓' : '✗'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The fitted model's parameters, examination and held-out perplexity, each beside the simulating model's. */
export function FitTable({ result, fitted: f }: { result: ClickSimResult; fitted: ClickFitView }) {
  const first = result.trueExamination[0];
  const name = f.model.toUpperCase();
  return (
    <div className="click-fit-view" data-testid="fit-table">
      <p className="click-summary" data-testid="fit-summary">
        {name} fitted on {f.trainSessions.toLocaleString('en')} sessions ({f.iterations ? `${f.iterations} EM iterations${f.converged ? '' : ', not converged'}` : 'closed form'}); on
        the other {f.testSessions.toLocaleString('en')}: perplexity <strong data-testid="fit-perplexity">{num(f.perplexity, 4)}</strong> (simulating {result.model.toUpperCase()}:{' '}
        {num(f.truePerplexity, 4)}), log-likelihood {num(f.logLikelihood, 4)}.
      </p>
      {f.params.length > 0 && (
        <table className="click-table">
          <thead>
            <tr>
              <th scope="col">parameter</th>
              <th scope="col">fitted</th>
              <th scope="col">truth</th>
            </tr>
          </thead>
          <tbody>
            {f.params.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td className="num">{num(p.fitted)}</td>
                <td className="num">{num(p.truth)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="field-note">
        Per query–document estimates start from ½ (a Beta(1, 1) prior) and move to the truth as their pairs gather impressions: more
        sessions, closer values. Truth is — where the fitted model has no counterpart in the simulating one.
      </p>
      <table className="click-table" data-testid="fit-rank-table">
        <thead>
          <tr>
            <th scope="col">rank</th>
            <th scope="col" title="Examination ÷ rank 1">
              exam. fitted
            </th>
            <th scope="col" title="Examination ÷ rank 1">
              exam. true
            </th>
            <th scope="col" title="Held-out click perplexity at this rank">
              perplexity fitted
            </th>
            <th scope="col" title="The simulating model's perplexity on the same sessions">
              perplexity true
            </th>
            {f.rankParams.map((p) => (
              <th key={p.name} scope="col">
                {p.name}
                {p.truth ? ' (truth)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {f.examination.map((e, r) => (
            <tr key={r}>
              <td className="num">{r + 1}</td>
              <td className="num">{num(e)}</td>
              <td className="num">{num(first > 0 ? result.trueExamination[r] / first : null)}</td>
              <td className="num">{num(f.perplexityAtRank[r], 4)}</td>
              <td className="num">{num(f.truePerplexityAtRank[r], 4)}</td>
              {f.rankParams.map((p) => (
                <td key={p.name} className="num">
                  {num(p.fitted[r])}
                  {p.truth ? <span className="field-note"> ({num(p.truth[r])})</span> : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
