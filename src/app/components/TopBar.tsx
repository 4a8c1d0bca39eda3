import { DemoMenu } from './demo/DemoMenu';
import { ExportMenu } from './export/ExportMenu';
import { PlaybackControls } from './PlaybackControls';
import { ShareMenu } from './share/ShareMenu';

export function TopBar() {
  return (
    <header className="top-bar">
      <div className="brand">
        <h1>RankPlay</h1>
        <p className="tagline">Train ranking models live in your browser, on your own GPU, and watch them learn.</p>
      </div>
      <PlaybackControls />
      <DemoMenu />
      <div className="top-bar__actions">
        <ShareMenu />
        <ExportMenu />
      </div>
    </header>
  );
}
