import type { SplitInfo } from '../../../core/data/library';
import { formatCount, formatStat } from './format';

/** Rendering thousands of rows helps no one reading them; wider sets say how many are left out. */
const MAX_ROWS = 1000;

export function FeatureStatsTable({ stats, docs, split }: { stats: SplitInfo['stats']['featureStats']; docs: number; split: string }) {
  const n = stats.min.length;
  const shown = Math.min(n, MAX_ROWS);
  const rows = Array.from({ length: shown }, (_, j) => j);
  return (
    <div className="feature-stats">
      <div className="feature-stats-caption">
        Per-feature statistics ({split}, before normalisation)
        {n > shown ? ` — the first ${formatCount(shown)} of ${formatCount(n)} features` : ''}
      </div>
      <div className="feature-stats-scroll" data-testid="feature-stats">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">
                Feature
              </th>
              <th scope="col" className="num">
                Min
              </th>
              <th scope="col" className="num">
                Max
              </th>
              <th scope="col" className="num">
                Mean
              </th>
              <th scope="col" className="num" title="Documents where the file did not give the feature (read as 0)">
                Missing
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => {
              const missing = stats.missing[j] ?? 0;
              // A feature that never varies cannot help a ranker: worth seeing at a glance.
              const constant = stats.min[j] === stats.max[j];
              return (
                <tr key={j} className={constant ? 'feature-constant' : undefined} title={constant ? 'constant: carries no signal' : undefined}>
                  <th scope="row" className="num">
                    {j + 1}
                  </th>
                  <td className="num">{formatStat(stats.min[j])}</td>
                  <td className="num">{formatStat(stats.max[j])}</td>
                  <td className="num">{formatStat(stats.mean[j])}</td>
                  <td className="num">
                    {missing > 0 && docs > 0 ? `${formatCount(missing)} (${((missing / docs) * 100).toFixed(0)}%)` : '0'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
