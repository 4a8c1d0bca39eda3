import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

interface CommitInputProps<T> {
  label: ReactNode;
  testId: string;
  value: T;
  format: (value: T) => string;
  parse: (text: string) => Parsed<T>;
  /** Applies the value; returns a reason when it was refused. */
  onCommit: (value: T) => string | null;
  equals?: (a: T, b: T) => boolean;
  /** 'number' gives spinners and a numeric keyboard; its value reads '' while the text is not a number. */
  type?: 'number' | 'text';
  /** For type 'number': 1 for counts, 'any' for rates and noise. */
  step?: number | 'any';
  min?: number;
  max?: number;
  hint?: string;
  disabled?: boolean;
}

/**
 * A text box that commits on the native 'change' event (blur, Enter, spinner), not on every
 * keystroke: a half-typed "0." must not reset the run. Invalid text stays visible with its error
 * until fixed, and the config is left as it was.
 */
export function CommitInput<T>(props: CommitInputProps<T>) {
  const { label, testId, value, format, hint, disabled, type = 'text', step, min, max } = props;
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState<string | null>(null);
  const [shownValue, setShownValue] = useState(value);

  // A config change from elsewhere (reset by link, another control) replaces the text.
  const formatted = format(value);
  if (shownValue !== value && formatted !== format(shownValue)) {
    setShownValue(value);
    setText(formatted);
    setError(null);
  }

  // Latest props for the native listener, which is attached once.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    const commit = () => {
      const p = latest.current;
      const parsed = p.parse(input.value.trim());
      if (!parsed.ok) {
        setError(parsed.error);
        return;
      }
      const same = p.equals ? p.equals(parsed.value, p.value) : parsed.value === p.value;
      if (same) {
        setError(null);
        setText(p.format(p.value));
        return;
      }
      const refused = p.onCommit(parsed.value);
      setError(refused);
      if (!refused) setText(p.format(parsed.value));
    };
    input.addEventListener('change', commit);
    return () => input.removeEventListener('change', commit);
  }, []);

  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        type={type}
        step={type === 'number' ? step : undefined}
        min={type === 'number' ? min : undefined}
        max={type === 'number' ? max : undefined}
        data-testid={testId}
        value={text}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      {error && (
        <span className="field-error" id={errorId} data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export interface NumberRules {
  integer?: boolean;
  min?: number;
  max?: number;
}

/** Number parsing with the limits stated in words, so the message says what to type. */
export function numberParser({ integer, min, max }: NumberRules): (text: string) => Parsed<number> {
  return (text) => {
    if (text === '') return { ok: false, error: 'enter a number' + (min !== undefined && max !== undefined ? ` from ${min} to ${max.toLocaleString('en')}` : '') };
    const n = Number(text);
    if (!Number.isFinite(n)) return { ok: false, error: `'${text.slice(0, 20)}' is not a number` };
    if (integer && !Number.isInteger(n)) return { ok: false, error: 'must be a whole number' };
    if (min !== undefined && n < min) return { ok: false, error: `must be at least ${min}` };
    if (max !== undefined && n > max) return { ok: false, error: `must be at most ${max.toLocaleString('en')}` };
    return { ok: true, value: n };
  };
}
