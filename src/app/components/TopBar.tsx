import { ErrorBoundary } from './ErrorBoundary';
import { DemoMenu } from './demo/DemoMenu';
import { ExportMenu } from './export/ExportMenu';
import { PlaybackControls } from './PlaybackControls';
import { ShareMenu } from './share/ShareMenu';

/** Each control group has its own error boundary: a failing menu never takes the playback controls with it. */
export function TopBar() {
  return (
    <header className="top-bar">
      <div className="brand">
        <h1>RankPlay</h1>
        <p className="tagline">Train ranking models live in your browser, on your own GPU, and watch them learn.</p>
      </div>
      <ErrorBoundary panel="playback controls">
        <PlaybackControls />
      </ErrorBoundary>
      <ErrorBoundary panel="demo menu">
        <DemoMenu />
      </ErrorBoundary>
      <div className="top-bar__actions">
        <ErrorBoundary panel="share menu">
          <ShareMenu />
        </ErrorBoundary>
        <ErrorBoundary panel="export menu">
          <ExportMenu />
        </ErrorBoundary>
      </div>
    </header>
  );
}
