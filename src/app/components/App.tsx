import { ClickPanel } from './clicks/ClickPanel';
import { DataSettings } from './DataSettings';
import { DatasetPanel } from './datasets/DatasetPanel';
import { Explainer } from './Explainer';
import { LatestTable } from './LatestTable';
import { MetricsCharts } from './MetricsCharts';
import { Notices } from './Notices';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { TrainingSettings } from './TrainingSettings';

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
          <LatestTable />
          <DatasetPanel />
          <ClickPanel />
          <Explainer />
        </main>
      </div>
      <StatusBar />
    </div>
  );
}
