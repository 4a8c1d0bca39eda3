import { singularValues } from './linalg';

/**
 * RankMe (Garrido et al. 2023, "RankMe: Assessing the downstream performance of pretrained
 * self-supervised representations by their rank"): the effective rank of a set of embeddings
 * Z [n, dim], exp of the entropy of the normalised singular values:
 *   p_k = σ_k / ‖σ‖₁ + ε,   RankMe(Z) = exp(−Σ_k p_k log p_k),  ε = 1e-7.
 * It lies in [1, min(n, dim)] (up to ε): 1 when every embedding is a multiple of one vector, k when
 * the spread is equal along k orthogonal directions. Scaling Z leaves it unchanged, which is why it
 * can be compared across training steps as the embeddings' norm drifts. The paper does not centre
 * Z, so neither does this.
 */
export const RANKME_EPS = 1e-7;

export function rankMe(embeddings: Float32Array, n: number, dim: number): number {
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(dim) && dim > 0) || embeddings.length !== n * dim) {
    throw new Error(`rankMe: expected ${n}×${dim} embeddings, got ${embeddings.length} values`);
  }
  const s = singularValues(embeddings, n, dim);
  const l1 = s.reduce((a, v) => a + v, 0);
  // All-zero embeddings have no direction at all; report the minimum instead of 0/0.
  if (!(l1 > 0)) return 1;
  let entropy = 0;
  for (const v of s) {
    const p = v / l1 + RANKME_EPS;
    entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}
