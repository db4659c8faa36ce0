// Copies without subarray(): a subarray is a new object, and the runtime allocates nothing per block.

/** dst[to + i] = src[from + i] for i in [0, n). */
export function copyFrames(src: ArrayLike<number>, dst: Float32Array | Float64Array, n: number, from = 0, to = 0): void {
  if (from === 0 && to === 0 && n === src.length && n === dst.length && src instanceof Float32Array === dst instanceof Float32Array) {
    dst.set(src as Float32Array);
    return;
  }
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i];
}
