import type { ClickLog } from '../log';
import type { Sfc32 } from '../simulate/prng';
import type { InterventionConfig } from './config';

/**
 * Applies an intervention (see ./config.ts) to the shown lists of a log, in place, each session
 * deciding with its own draw; returns what each session got (0 = untouched; randtop: the number of
 * top slots shuffled; swap: the rank exchanged with rank 1, even when the list was too short to
 * have a result there).
 */
export function applyIntervention(log: ClickLog, kind: InterventionConfig['kind'], n: number, fraction: number, gen: Sfc32): Uint16Array {
  const k = log.k;
  const S = log.query.length;
  const shown = log.shown;
  const applied = new Uint16Array(S);
  for (let s = 0; s < S; s++) {
    if (!(gen.float() < fraction)) continue;
    const sb = s * k;
    let filled = 0;
    while (filled < k && shown[sb + filled] >= 0) filled++;
    if (kind === 'randtop') {
      const top = Math.min(n, filled);
      for (let i = top - 1; i > 0; i--) {
        const j = gen.int(i + 1);
        const t = shown[sb + i];
        shown[sb + i] = shown[sb + j];
        shown[sb + j] = t;
      }
      applied[s] = top;
    } else {
      const partner = 2 + gen.int(n - 1);
      applied[s] = partner;
      if (partner <= filled) {
        const t = shown[sb];
        shown[sb] = shown[sb + partner - 1];
        shown[sb + partner - 1] = t;
      }
    }
  }
  return applied;
}
