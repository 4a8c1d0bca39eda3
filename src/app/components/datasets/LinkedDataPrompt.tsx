import { bundledSet } from '../../../core/data/bundled';
import { formatFileRef, type DataSource } from '../../../core/data/source';
import { useRankPlay } from '../../store';
import { LoadError } from './LoadError';
import { LoadProgress } from './LoadProgress';
import './linked-data.css';

interface SourcePromptProps {
  /** Test ids start with it: `${id}`, `${id}-files`, `${id}-fetch`, `${id}-leave`. */
  id: string;
  title: string;
  source: DataSource;
  onFiles(files: File[]): void;
  onFetch(): void;
  leaveLabel: string;
  onLeave(): void;
  /** Show the load's progress and error here (the data panel then leaves them out). */
  showLoad: boolean;
}

/** Where a link's data comes from, and the one action that brings it: choose the files, or load it. */
function SourcePrompt({ id, title, source, onFiles, onFetch, leaveLabel, onLeave, showLoad }: SourcePromptProps) {
  const loading = useRankPlay((s) => s.dataLoading);
  const ready = useRankPlay((s) => s.backend !== null);
  return (
    <section className="linked-data" data-testid={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <SourceText source={source} />
      <div className="linked-data-actions">
        {source.from === 'files' && (
          <label className={loading || !ready ? 'file-button file-button--disabled' : 'file-button'}>
            {source.files.length === 1 ? 'Choose the file…' : 'Choose the files…'}
            <input
              type="file"
              multiple
              className="visually-hidden"
              data-testid={`${id}-files`}
              disabled={loading || !ready}
              onChange={(e) => {
                const files = Array.from(e.currentTarget.files ?? []);
                e.currentTarget.value = '';
                onFiles(files);
              }}
            />
          </label>
        )}
        {source.from !== 'files' && (
          <button type="button" className="text-button text-button--primary" data-testid={`${id}-fetch`} disabled={loading || !ready} onClick={onFetch}>
            {source.from === 'bundled' ? 'Load it again' : 'Load it'}
          </button>
        )}
        <button type="button" className="text-button" data-testid={`${id}-leave`} onClick={onLeave}>
          {leaveLabel}
        </button>
      </div>
      {showLoad && <LoadProgress />}
      {showLoad && <LoadError />}
    </section>
  );
}

/**
 * A link's data set that this browser does not hold (issue 9). Bundled sets load by themselves;
 * a URL is fetched when the visitor says so; local files are asked for and checked by SHA-256
 * before anything runs. Shown at the top of the page, above settings and results, where a visitor
 * looks first (on a phone the settings would push it out of sight).
 */
export function LinkedDataPrompt() {
  const waiting = useRankPlay((s) => s.dataWaiting && s.datasetsKnown);
  const data = useRankPlay((s) => s.config.data);
  const fetchLinkedData = useRankPlay((s) => s.fetchLinkedData);
  const supplyLinkedFiles = useRankPlay((s) => s.supplyLinkedFiles);
  const useSynthetic = useRankPlay((s) => s.useSynthetic);
  if (!waiting || data.kind !== 'stored' || !data.source) return null;
  return (
    <SourcePrompt
      id="linked-data"
      title={`This link's data: ${data.name}`}
      source={data.source}
      onFiles={supplyLinkedFiles}
      onFetch={fetchLinkedData}
      leaveLabel="Use synthetic data instead"
      onLeave={useSynthetic}
      showLoad
    />
  );
}

/** The same for a link's text corpus, at the top of the text panel. */
export function LinkedCorpusPrompt() {
  const wanted = useRankPlay((s) => (s.datasetsKnown ? s.linkedCorpus : null));
  const dataWaiting = useRankPlay((s) => s.dataWaiting && s.datasetsKnown);
  const fetchLinkedCorpus = useRankPlay((s) => s.fetchLinkedCorpus);
  const supplyLinkedCorpusFiles = useRankPlay((s) => s.supplyLinkedCorpusFiles);
  const dropLinkedCorpus = useRankPlay((s) => s.dropLinkedCorpus);
  if (!wanted) return null;
  return (
    <SourcePrompt
      id="linked-corpus"
      title={`This link's text corpus: ${wanted.name}`}
      source={wanted.source}
      onFiles={supplyLinkedCorpusFiles}
      onFetch={fetchLinkedCorpus}
      leaveLabel="Use the demo corpus instead"
      onLeave={dropLinkedCorpus}
      showLoad={!dataWaiting}
    />
  );
}

function SourceText({ source }: { source: DataSource }) {
  switch (source.from) {
    case 'bundled':
      return (
        <p>
          A data set that comes with RankPlay ({bundledSet(source.name)?.title ?? source.name}); it is loaded from this site.
        </p>
      );
    case 'url':
      return (
        <p>
          It is loaded from <code className="linked-data-url">{source.url}</code>, a site this link names: load it if you trust it.
          The file is read in this browser and kept here for next time.
        </p>
      );
    case 'files':
      return (
        <>
          <p>
            The experiment was made with local {source.files.length === 1 ? 'a file' : 'files'} that only its author has. If you have{' '}
            {source.files.length === 1 ? 'it' : 'them'}, choose {source.files.length === 1 ? 'it' : 'them'}: the contents are checked
            (SHA-256) before anything runs, so the numbers are the link&apos;s. Nothing is uploaded.
          </p>
          <ul className="linked-data-files" data-testid="linked-data-expected">
            {source.files.map((f) => (
              <li key={f.sha256}>
                <code>{formatFileRef(f)}</code>
              </li>
            ))}
          </ul>
        </>
      );
  }
}
