import type { ClickSimResult } from '../../../worker/protocol';

/** The first few simulated sessions: each result list top-down, its document, relevance grade and click. */
export function SessionViewer({ result }: { result: ClickSimResult }) {
  return (
    <div className="session-viewer" data-testid="session-viewer">
      <h3>
        A few sessions{' '}
        <span className="field-note">
          (grade 0..{result.ymax}; ● = clicked; documents {result.hasDocIds ? 'by their ids' : 'as <query>:<position in its list>, the data has no ids'})
        </span>
      </h3>
      <div className="session-list">
        {result.sampleSessions.map((session, i) => (
          <table key={i} className="session" data-testid="session">
            <caption>
              Session {i + 1}: query {session.query}
              {session.intervention && <span className="session-note"> ({session.intervention})</span>}
            </caption>
            <thead>
              <tr>
                <th scope="col">rank</th>
                <th scope="col">document</th>
                <th scope="col">grade</th>
                <th scope="col">click</th>
              </tr>
            </thead>
            <tbody>
              {session.docs.map((d, r) => (
                <tr key={r} className={d.clicked ? 'session-click' : undefined} data-clicked={d.clicked ? 'true' : 'false'}>
                  <td className="num">{r + 1}</td>
                  <td className="session-doc" data-testid="session-doc" title={d.doc}>
                    {d.doc}
                  </td>
                  <td className="num">
                    <span className={`grade grade-${Math.min(4, Math.round((4 * d.label) / Math.max(1, result.ymax)))}`}>{d.label}</span>
                  </td>
                  <td className="click-mark" aria-label={d.clicked ? 'clicked' : 'not clicked'}>
                    {d.clicked ? '●' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </div>
  );
}
