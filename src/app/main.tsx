import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { boot } from './boot';
import { listenForGlobalErrors } from './global-errors';
import { rankPlayStore } from './store';
import './styles.css';

listenForGlobalErrors((message) => rankPlayStore.getState().pushNotice('error', message));

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);

// Outside React on purpose: StrictMode runs effects twice, and there must be one worker.
boot(rankPlayStore).catch((error: unknown) => {
  rankPlayStore.getState().pushNotice('error', `RankPlay could not start: ${error instanceof Error ? error.message : String(error)}`);
});
