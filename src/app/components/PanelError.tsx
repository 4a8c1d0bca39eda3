/** A panel's failed step: what failed (a sentence), the worker's message, and Dismiss. `testId` names the alert; its message is `${testId}-message`. */
export function PanelError({ title, message, testId, onDismiss }: { title: string; message: string; testId: string; onDismiss: () => void }) {
  return (
    <div className="load-message load-message--error" role="alert" data-testid={testId}>
      <div>
        <strong>{title}</strong>
        <p className="load-error-text" data-testid={`${testId}-message`}>
          {message}
        </p>
      </div>
      <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={onDismiss} />
    </div>
  );
}
