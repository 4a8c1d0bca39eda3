import { lazy, Suspense } from 'react';
import { useRankPlay } from '../../store';
import { ErrorBoundary } from '../ErrorBoundary';

// KaTeX (its code, CSS and fonts) loads only when a demo is open.
const DemoPanel = lazy(() => import('./DemoPanel'));

/** The guided demo's explanation, when the page was opened from a demo's link. */
export function DemoSlot() {
  const demo = useRankPlay((s) => s.shareView.demo);
  if (demo === undefined) return null;
  return (
    <ErrorBoundary panel="guided demo">
      <Suspense fallback={<p className="demo-loading">Loading the demo…</p>}>
        <DemoPanel id={demo} />
      </Suspense>
    </ErrorBoundary>
  );
}
