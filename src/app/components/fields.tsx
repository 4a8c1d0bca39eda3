import { useId, type ReactNode } from 'react';
import { CommitInput, numberParser, type NumberRules } from './CommitInput';

interface NumberFieldProps extends NumberRules {
  label: ReactNode;
  testId: string;
  value: number;
  onCommit: (value: number) => string | null;
  /** Spinner increment; defaults to 1 for whole numbers and 'any' otherwise. */
  step?: number | 'any';
  hint?: string;
}

const formatNumber = (n: number) => String(n);

export function NumberField({ label, testId, value, onCommit, integer, min, max, step, hint }: NumberFieldProps) {
  return (
    <CommitInput
      type="number"
      label={label}
      testId={testId}
      value={value}
      format={formatNumber}
      parse={numberParser({ integer, min, max })}
      onCommit={onCommit}
      step={step ?? (integer ? 1 : 'any')}
      min={min}
      max={max}
      hint={hint}
    />
  );
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

interface SelectFieldProps<T extends string> {
  label: ReactNode;
  testId: string;
  value: T;
  options: readonly SelectOption<T>[];
  onChange: (value: T) => void;
  hint?: string;
  disabled?: boolean;
}

export function SelectField<T extends string>({ label, testId, value, options, onChange, hint, disabled }: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <select
        id={id}
        data-testid={testId}
        value={value}
        disabled={disabled}
        onChange={(e) => {
          // Only offered values can be chosen, so the lookup always succeeds.
          const chosen = options.find((o) => o.value === e.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FieldGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="field-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
