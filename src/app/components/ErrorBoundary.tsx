import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /**
   * Names the panel this boundary guards. With it, a failure replaces only that panel (the rest of
   * the page keeps working) and can be retried; without it, the whole page shows the error.
   */
  panel?: string;
}

interface State {
  error: Error | null;
}

/** A rendering bug shows what went wrong and a way out, never a blank page. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('RankPlay UI error', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { panel } = this.props;
    if (panel) {
      return (
        <div className="panel-error" role="alert" data-testid="panel-error">
          <p>
            <strong>The {panel} could not be shown:</strong> {error.message || error.name}
          </p>
          <button type="button" className="text-button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return (
      <div className="error-panel" role="alert" data-testid="error-panel">
        <h1>Something went wrong in the RankPlay page</h1>
        <p>{error.message || error.name}</p>
        <p>
          The experiment's settings are in the address bar, so reloading keeps them. If it happens again, the details below
          help a bug report.
        </p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
        <details>
          <summary>Technical details</summary>
          <pre>{error.stack ?? String(error)}</pre>
        </details>
      </div>
    );
  }
}
