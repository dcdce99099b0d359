/** Append-only typed arrays that double their capacity: compact storage for millions of entries. */

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type TypedArrayCtor<T extends TypedArray> = new (length: number) => T;

export class Growable<T extends TypedArray> {
  private buf: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    capacity = 1024,
  ) {
    this.buf = new ctor(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.buf.length) this.grow(this.length + 1);
    this.buf[this.length++] = v;
  }

  get(i: number): number {
    return this.buf[i] as number;
  }

  set(i: number, v: number): void {
    this.buf[i] = v;
  }

  private grow(min: number): void {
    let cap = this.buf.length * 2;
    while (cap < min) cap *= 2;
    const next = new this.ctor(cap);
    next.set(this.buf as never);
    this.buf = next;
  }

  /** A view of the filled part (shares memory until the next push that grows). */
  view(): T {
    return this.buf.subarray(0, this.length) as T;
  }

  /** A right-sized copy; the growable can be dropped afterwards. */
  toArray(): T {
    return this.buf.slice(0, this.length) as T;
  }
}

export const growU8 = (capacity?: number) => new Growable(Uint8Array, capacity);
export const growU32 = (capacity?: number) => new Growable(Uint32Array, capacity);
export const growI32 = (capacity?: number) => new Growable(Int32Array, capacity);
export const growF64 = (capacity?: number) => new Growable(Float64Array, capacity);
