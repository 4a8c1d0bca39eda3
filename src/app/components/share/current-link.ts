import { rankPlayStore } from '../../store';
import { currentLinkUrl } from '../../store/share-slice';

/**
 * The link the Share menu offers, read at the moment it opens: the absolute `#l=` link of the
 * current experiment and view (share-slice.ts / core/share/link.ts), the same link the address
 * bar holds. When the link cannot be made (encodeLink refuses links over the size limit), `error`
 * carries its message and nothing is offered.
 */
export type CurrentLink = { link: string; error?: undefined } | { link?: undefined; error: string };

export function currentLink(): CurrentLink {
  try {
    return { link: currentLinkUrl(rankPlayStore.getState()) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
