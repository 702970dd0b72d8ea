import { invalidInput } from "../errors.ts";

/**
 * Maps arbitrary string ids (account numbers, pseudonymised person ids) to dense integers 0..size-1 in order
 * of first appearance, so graph algorithms can work on typed arrays.
 */
export class IdIndex {
  readonly #byId = new Map<string, number>();
  readonly #ids: string[] = [];

  /** Number of distinct ids seen. */
  get size(): number {
    return this.#ids.length;
  }

  /** Returns the dense number of id, assigning the next one if id is new. */
  intern(id: string): number {
    const known = this.#byId.get(id);
    if (known !== undefined) return known;
    const next = this.#ids.length;
    this.#byId.set(id, next);
    this.#ids.push(id);
    return next;
  }

  /** Interns every id of a column, returning their dense numbers in the same order. */
  internAll(ids: ArrayLike<string>): Int32Array {
    const out = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.intern(ids[i]!);
    return out;
  }

  /** The dense number of id, or -1 if it was never interned. */
  indexOf(id: string): number {
    return this.#byId.get(id) ?? -1;
  }

  /** The id behind a dense number; throws RangeError when out of range. */
  idOf(index: number): string {
    const id = this.#ids[index];
    if (id === undefined) throw new RangeError(`no id with index ${index} (size ${this.#ids.length})`);
    return id;
  }

  /** All ids, position = dense number. */
  ids(): readonly string[] {
    return this.#ids;
  }
}

/** Interns the two endpoint columns of an edge list into one shared index. */
export function indexEdges(
  from: ArrayLike<string>,
  to: ArrayLike<string>,
  index: IdIndex = new IdIndex(),
): { index: IdIndex; src: Int32Array; dst: Int32Array } {
  if (from.length !== to.length) throw invalidInput(`from has ${from.length} ids but to has ${to.length}`);
  const src = new Int32Array(from.length);
  const dst = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) {
    src[i] = index.intern(from[i]!);
    dst[i] = index.intern(to[i]!);
  }
  return { index, src, dst };
}
