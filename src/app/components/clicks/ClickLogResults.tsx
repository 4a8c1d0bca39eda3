import type { ClickLogFitResult, ClickLogModelResult } from '../../../worker/protocol';
import { formatValue, modelLabel } from './click-log-format';
import { FittedExaminationChart } from './FittedExaminationChart';
import { PerplexityChart } from './PerplexityChart';

const count = (n: number) => n.toLocaleString('en');

function fitMethod(m: ClickLogModelResult): string {
  if (m.method === 'mle') return 'closed form';
  return `EM, ${m.iterations} it.${m.converged ? '' : ' (limit)'}`;
}

/** Key parameters in words, per model: what a reader checks first after the perplexity. */
function keyParams(m: ClickLogModelResult): string {
  const p = m.params;
  const parts: string[] = [];
  if (p.gamma !== null) parts.push(`γ ${p.gamma.toFixed(3)}`);
  if (p.lambda) parts.push(`λ₁ ${p.lambda[0].toFixed(3)}`);
  if (p.examination && p.examination.length > 1) parts.push(`exam. r2/r1 ${(p.examinationRelative?.[1] ?? NaN).toFixed(3)}`);
  if (p.attractiveness.mean !== null) parts.push(`mean α ${p.attractiveness.mean.toFixed(3)}`);
  if (p.satisfaction?.mean != null) parts.push(`mean σ ${p.satisfaction.mean.toFixed(3)}`);
  return parts.join(', ');
}

/** What a fit found: the log in numbers, the models side by side on held-out sessions, and the curves. */
export function ClickLogResults({ result }: { result: ClickLogFitResult }) {
  const { summary, models, best } = result;
  const main = summary.files[0];
  const notes = [...summary.files.flatMap((f) => f.warnings.map((w) => `${f.name}: ${w}`)), ...models.flatMap((m) => m.notes.map((n) => `${modelLabel(m.model)}: ${n}`))];
  const split =
    'testFile' in summary.split
      ? `trained on ${main.name}, evaluated on ${summary.split.testFile}`
      : `${Math.round(summary.split.testFraction * 100)}% of the sessions held out (seed ${summary.split.seed})`;
  return (
    <div className="click-log-results" data-testid="click-log-results">
      <p className="click-summary" data-testid="click-log-format">
        <strong>{main.name}</strong>: {main.formatLabel}.
      </p>
      <dl className="summary-text click-log-counts" data-testid="click-log-counts">
        <div>
          <dt>sessions</dt>
          <dd>{count(main.sessions)}</dd>
        </div>
        <div>
          <dt>queries</dt>
          <dd>{count(main.queries)}</dd>
        </div>
        <div>
          <dt>documents</dt>
          <dd>{count(main.docs)}</dd>
        </div>
        <div>
          <dt>results per session</dt>
          <dd>{main.k}</dd>
        </div>
        <div>
          <dt>clicks</dt>
          <dd>{count(main.clicks)}</dd>
        </div>
        <div>
          <dt>train / test sessions</dt>
          <dd>
            {count(summary.trainSessions)} / {count(summary.testSessions)}
          </dd>
        </div>
      </dl>
      <p className="field-note" data-testid="click-log-split">
        {split}. {summary.unseen.description}
      </p>
      {notes.length > 0 && (
        <div className="summary-warnings" data-testid="click-log-warnings">
          <strong>Notes</strong>
          <ul>
            {notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="dataset-list-wrap">
        <table className="latest click-log-table" data-testid="click-log-table">
          <caption>
            Click models on {count(summary.testSessions)} held-out sessions ({count(summary.testImpressions)} impressions): higher
            log-likelihood and lower perplexity are better
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num" title="Mean over sessions of ln P(clicks) ÷ results shown">
                Log-likelihood
              </th>
              <th scope="col" className="num" title="Mean over ranks of 2^(−mean log2 P(C_r = c_r)); 1 is perfect, 2 is a coin flip">
                Perplexity
              </th>
              <th scope="col" className="num" title="The same, each click predicted knowing the clicks above it">
                Cond. perplexity
              </th>
              <th scope="col">Fit</th>
              <th scope="col">Key parameters</th>
              <th scope="col" className="num">
                Time
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.model} data-testid="click-log-row" data-model={m.model} className={m.model === best ? 'click-log-best' : undefined} data-best={m.model === best ? 'true' : undefined}>
                <th scope="row">
                  {modelLabel(m.model)}
                  {m.model === best && <span className="badge">lowest perplexity</span>}
                </th>
                <td className="num" data-testid="click-log-ll">
                  {formatValue(m.logLikelihood)}
                </td>
                <td className="num" data-testid="click-log-perplexity">
                  {formatValue(m.perplexity)}
                </td>
                <td className="num">{formatValue(m.conditionalPerplexity)}</td>
                <td className="nowrap">{fitMethod(m)}</td>
                <td className="click-log-params">{keyParams(m)}</td>
                <td className="num nowrap">{m.ms < 1000 ? `${m.ms.toFixed(0)} ms` : `${(m.ms / 1000).toFixed(1)} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="click-log-charts">
        <PerplexityChart models={models} />
        <FittedExaminationChart models={models} ctrByRank={main.ctrByRank} />
      </div>
    </div>
  );
}
