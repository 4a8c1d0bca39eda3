import type { StateCreator } from 'zustand';
import type { NoticesSlice, RankPlayState } from './types';

/** Enough to show a burst of problems without letting a runaway loop grow the list forever. */
const MAX_NOTICES = 8;

let nextNoticeId = 1;

export const createNoticesSlice: StateCreator<RankPlayState, [], [], NoticesSlice> = (set) => ({
  notices: [],
  pushNotice: (level, message) =>
    set((s) => {
      // The same message twice in a row (e.g. a repeated global error) adds nothing.
      const last = s.notices[s.notices.length - 1];
      if (last && last.level === level && last.message === message) return s;
      const notice = { id: nextNoticeId++, level, message };
      return { notices: [...s.notices, notice].slice(-MAX_NOTICES) };
    }),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
