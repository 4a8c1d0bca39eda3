import type { ConfigMutator } from '../store/types';
import { useRankPlay } from '../store';

/** Adapts updateConfig to the fields' contract: null when applied, the reason when refused. */
export function useConfigCommit(): (mutator: ConfigMutator) => string | null {
  const updateConfig = useRankPlay((s) => s.updateConfig);
  return (mutator) => {
    const result = updateConfig(mutator);
    return result.ok ? null : result.error;
  };
}
