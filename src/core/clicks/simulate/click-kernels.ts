/**
 * The click kernels of the simulator: one hot loop per click model.
 */

// ---------------------------------------------------------------------------------------------
// Hot loops. Each inlines sfc32 on local variables (the same generator as Sfc32.u32) and stores
// the state back at the end; a uint32 draw t clicks when t < p · 2^32, i.e. with probability p
// (to 2^−32; PBM compares 31 bits, see pbmThreshold). They are written out per model on purpose:
// a shared per-impression callback would cost more than the rest of the loop.
//
// They run on chunks of sessions, many calls each: V8 then compiles them as ordinary optimised
// functions, whose loop variables it types as 32-bit integers. One call running a long loop gets
// on-stack-replacement code instead, which here does the generator's additions in float64 and
// measured 5–7× slower.
// ---------------------------------------------------------------------------------------------

export const TWO_32 = 4294967296;
const TWO_31 = 2147483648;

/**
 * PBM click threshold on 31 bits: a draw t clicks when (t >>> 1) < round(p · 2^31), written
 * branch-free as ((t >>> 1) − threshold) >>> 31 (the sign bit of a 32-bit difference). A branch on
 * a coin flip mispredicts often; this measured 1.3–1.4× faster. p = 1 (threshold 2^31) always
 * clicks, p = 0 never.
 */
export function pbmThreshold(p: number): number {
  return Math.round(p * TWO_31);
}


export function pbmClicks(thr: Uint32Array, k: number, G: number, labels: Int8Array, shown: Int32Array, clicks: Uint8Array, from: number, to: number, st: Uint32Array): void {
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  for (let s = from; s < to; s++) {
    const sb = s * k;
    for (let r = 0; r < k; r++) {
      const row = shown[sb + r];
      if (row < 0) break;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      clicks[sb + r] = ((t >>> 1) - thr[r * G + labels[row]]) >>> 31;
    }
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

/** Cascade (λ ≡ 0: stop at the first click) and DCM (continue after a click at r with λ_r). */
export function cascadeClicks(attr: Float64Array, cont: Float64Array, k: number, G: number, labels: Int8Array, shown: Int32Array, clicks: Uint8Array, from: number, to: number, st: Uint32Array): void {
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  for (let s = from; s < to; s++) {
    const sb = s * k;
    for (let r = 0; r < k; r++) {
      const row = shown[sb + r];
      if (row < 0) break;
      let t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      if (t >>> 0 < attr[r * G + labels[row]]) {
        clicks[sb + r] = 1;
        if (cont[r] === 0) break;
        t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (((c << 21) | (c >>> 11)) + t) | 0;
        if (t >>> 0 >= cont[r]) break;
      }
    }
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

export function dbnClicks(
  attr: Float64Array,
  contClicked: Float64Array,
  contNoClick: number,
  k: number,
  G: number,
  labels: Int8Array,
  shown: Int32Array,
  clicks: Uint8Array,
  from: number,
  to: number,
  st: Uint32Array,
): void {
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  for (let s = from; s < to; s++) {
    const sb = s * k;
    for (let r = 0; r < k; r++) {
      const row = shown[sb + r];
      if (row < 0) break;
      const y = labels[row];
      let t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      let cont = contNoClick;
      if (t >>> 0 < attr[r * G + y]) {
        clicks[sb + r] = 1;
        cont = contClicked[y];
      }
      if (r + 1 === k) break;
      t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      if (t >>> 0 >= cont) break;
    }
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

export function ubmClicks(gamma: Float64Array, attr: Float64Array, k: number, G: number, labels: Int8Array, shown: Int32Array, clicks: Uint8Array, from: number, to: number, st: Uint32Array): void {
  let a = st[0] | 0;
  let b = st[1] | 0;
  let c = st[2] | 0;
  let d = st[3] | 0;
  for (let s = from; s < to; s++) {
    const sb = s * k;
    // 1-based rank of the last click so far; 0 = none.
    let last = 0;
    for (let r = 0; r < k; r++) {
      const row = shown[sb + r];
      if (row < 0) break;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      // P(C_r | history) = γ_{r, r − last} · a(r, y); distance d = (r + 1) − last, stored at d − 1.
      if (t >>> 0 < gamma[r * k + r - last] * attr[r * G + labels[row]]) {
        clicks[sb + r] = 1;
        last = r + 1;
      }
    }
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}
