/**
 * All-reduce over a SharedArrayBuffer between module workers (each with its own tfjs backend), with a blocking barrier
 * (Atomics.wait), so that it can run inside a tfjs kernel. Every worker must call the same collectives in the same
 * order; sums are taken in rank order, so every worker gets bit-identical results.
 */

const COUNT = 0, GENERATION = 1, HEADER_INTS = 4;

/** What a worker needs to join a {@link Collective}: the shared buffer, its size in workers, and its rank. */
export interface CollectiveInit {
  buffer: SharedArrayBuffer;
  size: number;
  rank: number;
}

/** Allocates the shared memory of a collective of `size` workers, each slot holding `capacity` floats per round. */
export function allocateCollective(size: number, capacity = 1 << 20): SharedArrayBuffer {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`lib/train collective: size must be ≥ 1, got ${size}`);
  }
  return new SharedArrayBuffer(HEADER_INTS * 4 + size * capacity * 4);
}

/** One worker's handle on the shared all-reduce. */
export class Collective {
  readonly size: number;
  readonly rank: number;
  private readonly header: Int32Array;
  private readonly slots: Float32Array;
  private readonly capacity: number;

  constructor(init: CollectiveInit) {
    const { buffer, size, rank } = init;
    if (!(rank >= 0 && rank < size)) throw new RangeError(`lib/train collective: rank ${rank} not in [0, ${size})`);
    this.size = size;
    this.rank = rank;
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.capacity = Math.floor((buffer.byteLength - HEADER_INTS * 4) / 4 / size);
    this.slots = new Float32Array(buffer, HEADER_INTS * 4, this.capacity * size);
  }

  /** Blocks until all `size` workers have arrived (sense-reversing barrier). */
  barrier(): void {
    if (this.size === 1) return;
    const h = this.header;
    const generation = Atomics.load(h, GENERATION);
    if (Atomics.add(h, COUNT, 1) === this.size - 1) {
      Atomics.store(h, COUNT, 0);
      Atomics.add(h, GENERATION, 1);
      Atomics.notify(h, GENERATION);
    } else {
      while (Atomics.load(h, GENERATION) === generation) Atomics.wait(h, GENERATION, generation);
    }
  }

  /** Element-wise sum of `values` over all workers, in place (rank order, identical on every worker). */
  allReduceSum(values: Float32Array): Float32Array {
    if (this.size === 1) return values;
    const cap = this.capacity;
    for (let start = 0; start < values.length; start += cap) {
      const n = Math.min(cap, values.length - start);
      this.slots.set(values.subarray(start, start + n), this.rank * cap);
      this.barrier();
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < this.size; k++) s += this.slots[k * cap + i];
        values[start + i] = s;
      }
      this.barrier();
    }
    return values;
  }
}
