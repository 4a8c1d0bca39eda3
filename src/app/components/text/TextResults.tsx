import { useRankPlay } from '../../store';
import type { TextRunSummary } from '../../../worker/protocol';
import { formatBytes, formatCount, formatRate } from '../datasets/format';
import { formatMeasure, formatMs, saveTextFile } from './text-format';

function Row({ name, run, device, testId }: { name: string; run: TextRunSummary; device: string; testId: string }) {
  const m = run.metrics;
  return (
    <tr data-testid={testId}>
      <th scope="row">{name}</th>
      <td className="num" data-testid={`${testId}-ndcg`}>
        {formatMeasure(m?.ndcg10)}
      </td>
      <td className="num">{formatMeasure(m?.mrr10)}</td>
      <td className="num">{formatMeasure(m?.recall100)}</td>
      <td className="num">{m ? `${formatCount(m.judgedQueries)} / ${formatCount(run.queries)}` : `— / ${formatCount(run.queries)}`}</td>
      <td className="num">{formatMs(run.ms)}</td>
      <td className="text-device">{device}</td>
    </tr>
  );
}

/** BM25 against the reranked run: the measures, how long each took and on what. */
export function TextResults() {
  const bm25 = useRankPlay((s) => s.textBm25);
  const rerank = useRankPlay((s) => s.textRerank);
  const exportRun = useRankPlay((s) => s.exportTextRun);
  const busy = useRankPlay((s) => s.textRunning !== null);
  if (!bm25) return null;
  const delta = rerank?.rerank.metrics && bm25.bm25.metrics ? rerank.rerank.metrics.ndcg10 - bm25.bm25.metrics.ndcg10 : null;
  const note = rerank?.rerank.metricsNote ?? bm25.bm25.metricsNote;
  const download = (which: 'bm25' | 'rerank') =>
    void exportRun(which).then((outcome) => {
      if (outcome.ok) saveTextFile(outcome.fileName, outcome.text);
    });
  const firstStageName = bm25.firstStage.kind === 'run' ? bm25.firstStage.name : 'BM25';
  const indexNote = bm25.index.reused ? 'index reused' : `indexed in ${formatMs(bm25.index.ms)}, ${formatCount(bm25.index.terms)} terms`;
  return (
    <div className="text-results" data-testid="text-results">
      <p className="text-corpus-line">
        <strong>{bm25.corpus.name}</strong>: {formatCount(bm25.corpus.documents)} documents, {bm25.corpus.splitLabel};{' '}
        {bm25.firstStage.kind === 'run' ? `candidates from ${bm25.firstStage.name}` : `BM25 k1 ${bm25.params.k1}, b ${bm25.params.b}`}, top {formatCount(bm25.params.k)} ({indexNote}).
      </p>
      <div className="text-table-wrap">
        <table className="text-table" aria-label="BM25 and reranked effectiveness">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col" className="num">nDCG@10</th>
              <th scope="col" className="num">MRR@10</th>
              <th scope="col" className="num">R@100</th>
              <th scope="col" className="num">Judged / queries</th>
              <th scope="col" className="num">Time</th>
              <th scope="col">Ran on</th>
            </tr>
          </thead>
          <tbody>
            <Row name={firstStageName} run={bm25.bm25} device={bm25.firstStage.kind === 'run' ? 'your run' : 'CPU (worker)'} testId="text-row-bm25" />
            {rerank && (
              <Row
                name={`${firstStageName} → ${rerank.model.name} (top ${rerank.depth})`}
                run={rerank.rerank}
                device={`${rerank.model.backend === 'webgpu' ? 'WebGPU' : 'wasm'} · ${formatRate(rerank.pairsPerSecond)} pairs/s`}
                testId="text-row-rerank"
              />
            )}
          </tbody>
        </table>
      </div>
      {delta !== null && (
        <p className={delta >= 0 ? 'text-delta text-delta--up' : 'text-delta text-delta--down'} data-testid="text-delta">
          Reranking {delta >= 0 ? 'raised' : 'lowered'} nDCG@10 by {Math.abs(delta).toFixed(4)}.
        </p>
      )}
      {rerank && (
        <p className="field-note" data-testid="text-backend-reason">
          {formatCount(rerank.pairs)} pairs scored; model {formatBytes(rerank.model.bytes)}
          {rerank.model.parameters !== null ? `, ${formatCount(rerank.model.parameters)} parameters` : ''}, loaded in {formatMs(rerank.loadMs)}. {rerank.model.backendReason.replace(/\.$/, '')}.
        </p>
      )}
      {note && (
        <p className="field-note field-note--warn" data-testid="text-metrics-note">
          {note}
        </p>
      )}
      {[...bm25.notes, ...(rerank?.notices ?? [])].map((n, i) => (
        <p key={i} className="field-note field-note--warn">
          {n}
        </p>
      ))}
      <div className="text-downloads">
        <button type="button" className="text-button" data-testid="text-download-bm25" disabled={busy} onClick={() => download('bm25')}>
          Download BM25 run
        </button>
        <button type="button" className="text-button" data-testid="text-download-rerank" disabled={busy || !rerank} onClick={() => download('rerank')}>
          Download reranked run
        </button>
        <span className="muted">TREC run format (qid Q0 docno rank score tag)</span>
      </div>
    </div>
  );
}
