// A growing list of 32-bit integers kept outside the JavaScript heap (in its ArrayBuffer), so that
// millions of line numbers cost four bytes each and no single large heap allocation.
export class IntList {
  private data = new Int32Array(1024);
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(a: number, b?: number, c?: number): void {
    const n = c !== undefined ? 3 : b !== undefined ? 2 : 1;
    if (this.size + n > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.size + n));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data[this.size++] = a;
    if (b !== undefined) this.data[this.size++] = b;
    if (c !== undefined) this.data[this.size++] = c;
  }

  /** The integers pushed, as a copy of exactly their length. */
  toArray(): Int32Array {
    return this.data.slice(0, this.size);
  }
}
