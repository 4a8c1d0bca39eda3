import type { StateCreator } from 'zustand';
import type { WorkerEvent } from '../../worker/protocol';
import { applyClickLogEvent } from './click-logs-slice';
import { applyClickEvent } from './clicks-slice';
import { applyCompareEvent } from './compare-slice';
import { emptyRun } from './run-slice';
import { applyTextEvent } from './text-slice';
import { applyAdaptEvent } from './adapt-slice';
import type { LifecycleSlice, RankPlayState, WorkerLink } from './types';

type Setter = Parameters<StateCreator<RankPlayState>>[0];

function applyEvent(set: Setter, get: () => RankPlayState, event: WorkerEvent): void {
  if (applyClickEvent(set, get, event)) return;
  if (applyClickLogEvent(set, get, event)) return;
  if (applyCompareEvent(set, get, event)) return;
  if (applyTextEvent(set, get, event)) return;
  if (applyAdaptEvent(set, get, event)) return;
  switch (event.type) {
    case 'backend':
      set({ backend: event.status, requestedBackend: event.status.requested });
      return;
    case 'loaded':
      // A new run starts from nothing: old points belong to a config that no longer exists.
      set({
        ...emptyRun,
        rankerIds: event.run.rankerIds,
        maxSteps: event.run.maxSteps,
        summary: event.run.summary,
        reference: event.run.reference,
      });
      return;
    case 'metrics':
      set((s) => ({
        points: [...s.points, event.point],
        pointElapsedMs: [...s.pointElapsedMs, event.elapsedMs],
        step: Math.max(s.step, event.point.step),
      }));
      return;
    case 'history':
      set({
        points: event.points,
        pointElapsedMs: event.elapsedMs,
        step: event.points.reduce((m, p) => Math.max(m, p.step), 0),
      });
      return;
    case 'state':
      set({ runState: event.state, step: event.step });
      return;
    case 'notice':
      get().pushNotice(event.level, event.message);
      return;
    case 'load-progress':
      // Events travel on their own channel and may trail the load's answer: a finished load stays finished.
      if (get().dataLoading) set({ loadProgress: event });
      return;
    case 'datasets':
      set((s) => ({
        datasets: event.list,
        datasetsKnown: true,
        shownDatasetId: s.shownDatasetId && event.list.some((d) => d.id === s.shownDatasetId) ? s.shownDatasetId : null,
      }));
      return;
  }
}

export function createLifecycleSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], LifecycleSlice> {
  return (set, get) => ({
    attachWorker: (commands) => {
      link.commands = commands;
    },
    applyWorkerEvent: (event) => applyEvent(set, get, event),
  });
}
