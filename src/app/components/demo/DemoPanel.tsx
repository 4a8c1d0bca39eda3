import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo, useState } from 'react';
import { configChanges, formatSettingValue } from '../../../core/experiment/config-diff';
import { demoById, demoLink, SAMPLE_CLICK_LOG_NAME, SAMPLE_CLICK_LOG_URL, splitTex, type Demo } from '../../../core/share/demos';
import type { DemoId } from '../../../core/share/types';
import { useRankPlay } from '../../store';
import './demo.css';

/**
 * A paragraph of a demo's own text (demos.ts, never link content) with its `$…$` formulas
 * rendered by KaTeX. The markup is KaTeX's output for our constant strings.
 */
function Paragraph({ text }: { text: string }) {
  const parts = useMemo(
    () =>
      splitTex(text).map((p) =>
        p.kind === 'text'
          ? p
          : { kind: 'html' as const, display: p.display, html: katex.renderToString(p.tex, { throwOnError: false, displayMode: p.display, output: 'htmlAndMathml' }) },
      ),
    [text],
  );
  return (
    <p>
      {parts.map((p, i) =>
        p.kind === 'text' ? (
          <span key={i}>{p.text}</span>
        ) : (
          <span key={i} className={p.display ? 'demo-tex demo-tex--display' : 'demo-tex'} dangerouslySetInnerHTML={{ __html: p.html }} />
        ),
      )}
    </p>
  );
}

/** Loads the shipped sample log into the click-log panel's usual flow (as if the file were chosen). */
function FitSampleLog() {
  const fit = useRankPlay((s) => s.fitClickLog);
  const running = useRankPlay((s) => s.clickLogRunning);
  const ready = useRankPlay((s) => s.backend !== null);
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    setFetching(true);
    setError(null);
    try {
      const response = await fetch(`${import.meta.env.BASE_URL}${SAMPLE_CLICK_LOG_URL}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      fit([new File([blob], SAMPLE_CLICK_LOG_NAME, { type: 'text/tab-separated-values' })]);
      document.getElementById('click-log-title')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    } catch (e) {
      setError(`The sample log could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setFetching(false);
    }
  };
  return (
    <div className="demo-action">
      <button type="button" className="primary-button" data-testid="demo-fit-sample" disabled={!ready || running || fetching} onClick={() => void load()}>
        {fetching || running ? 'Fitting the sample log…' : 'Fit the sample log'}
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid="demo-fit-sample-error">
          {error}
        </p>
      )}
    </div>
  );
}

function ShowAdapt() {
  return (
    <div className="demo-action">
      <button
        type="button"
        className="primary-button"
        data-testid="demo-show-adapt"
        onClick={() => document.getElementById('adapt-panel-title')?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
      >
        Go to Adapt the reranker
      </button>
    </div>
  );
}

/**
 * The visitor's changes to the demo's experiment: the text above describes the original, so say
 * what differs, that Share sends this version, and offer the way back.
 */
function DemoChanges({ id }: { id: DemoId }) {
  const config = useRankPlay((s) => s.config);
  const replaceConfig = useRankPlay((s) => s.replaceConfig);
  const original = useMemo(() => demoLink(id).experiment, [id]);
  const changes = useMemo(() => configChanges(original, config), [original, config]);
  if (changes.length === 0) return null;
  const shown = changes.slice(0, 4);
  return (
    <div className="demo-changes" role="status" data-testid="demo-changes">
      <p>
        <strong>You changed {changes.length === 1 ? 'one setting' : `${changes.length} settings`}: </strong>
        {shown.map((c) => `${c.path} ${formatSettingValue(c.from)} → ${formatSettingValue(c.to)}`).join('; ')}
        {changes.length > shown.length ? `; and ${changes.length - shown.length} more` : ''}. The text describes the demo&apos;s own
        settings; Share sends your version.
      </p>
      <button type="button" className="text-button" data-testid="demo-restore" onClick={() => replaceConfig(structuredClone(original))}>
        Back to the demo&apos;s settings
      </button>
    </div>
  );
}

function Action({ demo }: { demo: Demo }) {
  if (demo.action === 'fit-sample-log') return <FitSampleLog />;
  if (demo.action === 'show-adapt') return <ShowAdapt />;
  return null;
}

/** A guided demo's lesson beside its experiment: what it shows, the formulas, what to watch. */
export default function DemoPanel({ id }: { id: DemoId }) {
  const demo = demoById(id);
  const view = useRankPlay((s) => s.shareView);
  const setView = useRankPlay((s) => s.setShareView);
  return (
    <section className="demo-panel" data-testid="demo-panel" data-demo={demo.id} aria-labelledby="demo-title">
      <div className="demo-head">
        <p className="demo-kicker">Guided demo</p>
        <h2 id="demo-title">{demo.title}</h2>
      </div>
      <div className="demo-text" data-testid="demo-text">
        {demo.paragraphs.map((p) => (
          <Paragraph key={p} text={p} />
        ))}
      </div>
      <p className="demo-watch" data-testid="demo-watch">
        <strong>What to watch: </strong>
        {demo.watch}
      </p>
      <DemoChanges id={id} />
      <div className="demo-actions">
        <Action demo={demo} />
        <button
          type="button"
          className="text-button"
          data-testid="demo-close"
          onClick={() => setView(view.metric === undefined ? {} : { metric: view.metric })}
        >
          Close the demo (show all controls)
        </button>
      </div>
    </section>
  );
}
