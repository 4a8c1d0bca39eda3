import { ClickLogPanel } from './clicks/ClickLogPanel';
import { ClickPanel } from './clicks/ClickPanel';
import { DataSettings } from './DataSettings';
import { DemoSlot } from './demo/DemoSlot';
import { Hideable, useExperimentHidden } from './demo/Hideable';
import { DatasetPanel } from './datasets/DatasetPanel';
import { LinkedDataPrompt } from './datasets/LinkedDataPrompt';
import { ErrorBoundary } from './ErrorBoundary';
import { Explainer } from './Explainer';
import { HistoryPanel } from './history/HistoryPanel';
import { LatestTable } from './LatestTable';
import { MetricsCharts } from './MetricsCharts';
import { Notices } from './Notices';
import { StatusBar } from './StatusBar';
import { TextPanel } from './text/TextPanel';
import { TopBar } from './TopBar';
import { TrainingSettings } from './TrainingSettings';
import { ComparePanel } from './training/ComparePanel';
import { RankedListInspector } from './training/RankedListInspector';

export function App() {
  const experimentHidden = useExperimentHidden();
  return (
    <div className="app">
      <TopBar />
      <Notices />
      <DemoSlot />
      <ErrorBoundary panel="link's data prompt">
        <LinkedDataPrompt />
      </ErrorBoundary>
      <div className={experimentHidden ? 'workspace workspace--single' : 'workspace'}>
        {!experimentHidden && (
          <aside className="settings" aria-label="Settings">
            <Hideable group="data">
              <ErrorBoundary panel="data settings">
                <DataSettings />
              </ErrorBoundary>
            </Hideable>
            <TrainingSettings />
          </aside>
        )}
        <main className="results">
          {!experimentHidden && (
            <>
              <MetricsCharts />
              <ErrorBoundary panel="final-metrics table">
                <LatestTable />
              </ErrorBoundary>
              <ErrorBoundary panel="run history">
                <HistoryPanel />
              </ErrorBoundary>
            </>
          )}
          <Hideable group="compare">
            <ErrorBoundary panel="estimator comparison">
              <ComparePanel />
            </ErrorBoundary>
          </Hideable>
          <Hideable group="inspector">
            <ErrorBoundary panel="ranked-list inspector">
              <RankedListInspector />
            </ErrorBoundary>
          </Hideable>
          <Hideable group="data">
            <ErrorBoundary panel="data panel">
              <DatasetPanel />
            </ErrorBoundary>
          </Hideable>
          <Hideable group="click-panel">
            <ErrorBoundary panel="click panel">
              <ClickPanel />
            </ErrorBoundary>
          </Hideable>
          <Hideable group="click-log-panel">
            <ErrorBoundary panel="click-log panel">
              <ClickLogPanel />
            </ErrorBoundary>
          </Hideable>
          <Hideable group="text-panel">
            <ErrorBoundary panel="text reranking panel">
              <TextPanel />
            </ErrorBoundary>
          </Hideable>
          {!experimentHidden && (
            <ErrorBoundary panel="explanation">
              <Explainer />
            </ErrorBoundary>
          )}
        </main>
      </div>
      <ErrorBoundary panel="status bar">
        <StatusBar />
      </ErrorBoundary>
    </div>
  );
}
