import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { rankPlayStore } from '../../store';
import { metricsCsv } from '../../../core/experiment/metrics-csv';
import { chartPng, readLegend, serializeChartSvg, type SerializedChart } from './chart-image';
import { downloadBlob } from '../download';
import { PythonDialog } from './PythonDialog';
import { downloadQrels, downloadRankers, downloadTestRuns, runFiles } from './run-downloads';
import './export.css';

interface ExportItem {
  id: string;
  label: string;
  run: () => Promise<void> | void;
}

function mainChart(): SerializedChart {
  const figure = document.querySelector('[data-testid="ndcg-chart"]');
  const svg = figure?.querySelector<SVGSVGElement>('.recharts-wrapper > svg.recharts-surface');
  if (!figure || !svg) throw new Error('the chart is not on the page yet');
  return serializeChartSvg(svg, readLegend(figure));
}

/**
 * The top bar's Export menu (issue 9): the config as JSON, the metric history as CSV, the main
 * chart as SVG and PNG, the current run's TREC runs of the test split (one file, or a zip with the
 * qrels for several rankers) and qrels, the trained rankers as JSON, and an "Open in Python"
 * snippet. A menu button: Enter/Space/ArrowDown open it, arrows move, Escape closes it and focus
 * returns to the button.
 */
export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const [python, setPython] = useState(false);
  const [status, setStatus] = useState('');
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const exportRunFiles = () => rankPlayStore.getState().exportRunFiles();

  const items: ExportItem[] = [
    {
      id: 'config',
      label: 'Config (JSON)',
      run: () => {
        const json = `${JSON.stringify(rankPlayStore.getState().config, null, 2)}\n`;
        downloadBlob(new Blob([json], { type: 'application/json' }), 'rankplay-config.json');
      },
    },
    {
      id: 'metrics',
      label: 'Metrics (CSV)',
      run: () => {
        const s = rankPlayStore.getState();
        downloadBlob(new Blob([metricsCsv(s.points, s.rankerIds)], { type: 'text/csv' }), 'rankplay-metrics.csv');
      },
    },
    {
      id: 'svg',
      label: 'Chart (SVG)',
      run: () => {
        const { svg } = mainChart();
        downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), 'rankplay-chart.svg');
      },
    },
    {
      id: 'png',
      label: 'Chart (PNG)',
      run: async () => downloadBlob(await chartPng(mainChart(), 2), 'rankplay-chart.png'),
    },
    { id: 'trec', label: 'TREC run of the test split', run: async () => downloadTestRuns(await runFiles(exportRunFiles)) },
    { id: 'qrels', label: 'Test qrels (TREC)', run: async () => downloadQrels(await runFiles(exportRunFiles)) },
    { id: 'rankers', label: 'Trained rankers (JSON)', run: async () => downloadRankers(await runFiles(exportRunFiles)) },
    { id: 'python', label: 'Open in Python…', run: () => setPython(true) },
  ];

  const focusItem = useCallback((index: number) => {
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]');
    if (!buttons?.length) return;
    buttons[(index + buttons.length) % buttons.length].focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    focusItem(0);
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!listRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, focusItem]);

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  const choose = async (item: ExportItem) => {
    close(item.id !== 'python');
    try {
      await item.run();
      setStatus('');
    } catch (e) {
      setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
    }
  };

  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const buttons = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      focusItem(moves[e.key]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div className="export-menu">
      <button
        ref={buttonRef}
        type="button"
        className="text-button export-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="export-open"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onButtonKey}
      >
        Export
      </button>
      {open && (
        <ul ref={listRef} id={menuId} role="menu" aria-label="Export" className="export-menu__list" onKeyDown={onMenuKey}>
          {items.map((item) => (
            <li key={item.id} role="none">
              <button type="button" role="menuitem" tabIndex={-1} className="export-menu__item" data-testid={`export-${item.id}`} onClick={() => void choose(item)}>
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {status && !open && (
        <p className="export-menu__status" role="alert">
          {status}
        </p>
      )}
      {python && (
        <PythonDialog
          onClosed={() => {
            setPython(false);
            buttonRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
