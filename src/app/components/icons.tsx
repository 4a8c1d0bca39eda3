/** Inline SVG icons: the Unicode media glyphs (⏭, ❚❚) are missing from many system fonts. */
const common = { width: 20, height: 20, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export function PlayIcon() {
  return (
    <svg {...common}>
      <path d="M8 5v14l11-7z" fill="currentColor" />
    </svg>
  );
}

export function PauseIcon() {
  return (
    <svg {...common}>
      <path d="M7 5h4v14H7zM13 5h4v14h-4z" fill="currentColor" />
    </svg>
  );
}

export function StepIcon() {
  return (
    <svg {...common}>
      <path d="M6 6v12l8.5-6zM16 6h2.5v12H16z" fill="currentColor" />
    </svg>
  );
}

export function ResetIcon() {
  return (
    <svg {...common}>
      <path
        d="M12 5a7 7 0 1 1-6.93 8h2.03A5 5 0 1 0 12 7v3L7.5 6 12 2z"
        fill="currentColor"
      />
    </svg>
  );
}
