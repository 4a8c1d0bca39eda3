import type { TrainSpec } from '../experiment/config';

export type ScheduleSpec = TrainSpec['schedule'];

/**
 * The learning rate for update number `step` (0-based: the first update is step 0) of a run of
 * `totalSteps` updates that peaks at `peak`. A pure function, so the UI can draw the curve and a
 * resumed run recomputes the rate from the step alone.
 *
 * - Warmup (any kind): peak · (step + 1) / warmupSteps for the first warmupSteps updates. The +1
 *   keeps the first update from being a wasted zero-rate step.
 * - Then 'constant' stays at peak; 'warmup-cosine' and 'warmup-linear' decay from peak to
 *   peak · finalFraction over the remaining updates, reaching it at step totalSteps, and stay there.
 */
export function learningRateAt(step: number, peak: number, totalSteps: number, schedule: ScheduleSpec): number {
  const { kind, warmupSteps, finalFraction } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  if (kind === 'constant') return peak;
  const decaySteps = totalSteps - warmupSteps;
  const progress = decaySteps > 0 ? Math.min(1, (step - warmupSteps) / decaySteps) : 1;
  const floor = peak * finalFraction;
  const shape = kind === 'warmup-cosine' ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
  return floor + (peak - floor) * shape;
}
