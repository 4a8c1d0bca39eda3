import type { ReactNode } from 'react';
import type { HideKey } from '../../../core/share/types';
import { useRankPlay } from '../../store';
import { useHidden } from '../../store/share-slice';

/** Renders its children unless a share link hid this group of controls (`view.hide`). */
export function Hideable({ group, children }: { group: HideKey; children: ReactNode }) {
  return useHidden(group) ? null : <>{children}</>;
}

/** Every experiment group hidden (a demo about another panel): the settings column and the training results go too. */
export function useExperimentHidden(): boolean {
  return useRankPlay((s) => {
    const hide = s.shareView.hide ?? [];
    return EXPERIMENT_GROUPS.every((k) => hide.includes(k));
  });
}

const EXPERIMENT_GROUPS: readonly HideKey[] = ['data', 'rankers', 'clicks', 'schedule'];
