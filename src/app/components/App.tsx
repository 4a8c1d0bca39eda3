import { ClickLogPanel } from './clicks/ClickLogPanel';
import { ClickPanel } from './clicks/ClickPanel';
import { DataSettings } from './DataSettings';
import { DatasetPanel } from './datasets/DatasetPanel';
import { ErrorBoundary } from './ErrorBoundary';
import { Explainer } from './Explainer';
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
  return (
    <div className="app">
      <TopBar />
      <Notices />
      <div className="workspace">
        <aside className="settings" aria-label="Settings">
          <DataSettings />
          <TrainingSettings />
        </aside>
        <main className="results">
          <MetricsCharts />
          <ErrorBoundary panel="final-metrics table">
            <LatestTable />
          </ErrorBoundary>
          <ErrorBoundary panel="estimator comparison">
            <ComparePanel />
          </ErrorBoundary>
          <ErrorBoundary panel="ranked-list inspector">
            <RankedListInspector />
          </ErrorBoundary>
          <DatasetPanel />
          <ClickPanel />
          <ClickLogPanel />
          <ErrorBoundary panel="text reranking panel">
            <TextPanel />
          </ErrorBoundary>
          <Explainer />
        </main>
      </div>
      <StatusBar />
    </div>
  );
}
