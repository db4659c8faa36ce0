// The listener's guard: NaN and infinities never leave the master.
// A non-finite sample becomes silence; the count says how often that happened.

export class GuardCore {
  /** Non-finite samples replaced since the start. */
  replaced = 0;

  process(input: Float32Array[], output: Float32Array[], n: number): void {
    for (let c = 0; c < output.length; c++) {
      const src = input[c] ?? input[0];
      const dst = output[c];
      if (!src) {
        dst.fill(0, 0, n);
        continue;
      }
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v - v === 0) dst[i] = v; // false for NaN and ±Infinity
        else {
          dst[i] = 0;
          this.replaced++;
        }
      }
    }
  }
}
