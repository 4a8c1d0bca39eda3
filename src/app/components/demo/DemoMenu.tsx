import { useRef } from 'react';
import { DEMOS, demoLink } from '../../../core/share/demos';
import { encodeLink } from '../../../core/share/link';
import type { DemoId } from '../../../core/share/types';
import './demo.css';

/** Opens a demo as any link: its hash goes into the address, and the page follows the link. */
function openDemo(id: DemoId): void {
  const hash = encodeLink(demoLink(id));
  if (window.location.hash === hash) return;
  window.location.hash = hash;
}

/**
 * The top bar's "Guided demos" menu: a disclosure (keyboard: Enter/Space opens it, Tab walks the
 * list, Escape closes it and returns focus) listing the six lessons.
 */
export function DemoMenu() {
  const details = useRef<HTMLDetailsElement>(null);
  const close = () => {
    const el = details.current;
    if (!el) return;
    el.open = false;
    el.querySelector('summary')?.focus();
  };
  return (
    <details
      ref={details}
      className="demo-menu"
      data-testid="demo-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <summary className="text-button demo-menu__button" data-testid="demo-menu-open">
        Guided demos
      </summary>
      <nav className="demo-menu__list" aria-label="Guided demos">
        <ol>
          {DEMOS.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className="demo-menu__item"
                data-testid={`demo-open-${d.id}`}
                onClick={() => {
                  openDemo(d.id);
                  close();
                }}
              >
                <strong>{d.title}</strong>
                <span>{d.blurb}</span>
              </button>
            </li>
          ))}
        </ol>
      </nav>
    </details>
  );
}
