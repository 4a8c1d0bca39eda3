function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message || reason.name;
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

/** Errors that escape every handler still reach the person as a notice, not only the console. */
export function listenForGlobalErrors(report: (message: string) => void): () => void {
  const onError = (event: ErrorEvent) => {
    report(`Unexpected error: ${event.error !== undefined && event.error !== null ? describe(event.error) : event.message}`);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    report(`Unexpected error: ${describe(event.reason)}`);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
