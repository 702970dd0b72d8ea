import type { Network } from "./network.ts";

/**
 * The per-round inner loops of stress propagation for many scenarios at once, one scenario per lane, with
 * per-node values interleaved by lane (entry i * lanes + s):
 *
 * - scan: each node's increment this round in every occupied lane (what it passes on under the rule), with
 *   each lane's count of active nodes and of their outgoing exposures;
 * - pull: loss_i += sum_j A_ij delta_j in every lane, creditor by creditor over the exposures in CSR order, so
 *   an exposure's amount is loaded once and applied to the increments of all lanes, which sit side by side.
 *   Two ways to add, chosen per lane (see `accumulate`): "sum" adds the terms into a fresh sum, then the sum to
 *   the loss; "onto" adds each term straight onto the loss, as a push from the active nodes does.
 *
 * Each lane's arithmetic is that of a lone scalar run: the same operations on the same values, summed in the
 * same order, with IEEE double rounding (a SIMD lane rounds exactly as scalar code does). The WebAssembly
 * kernel does two lanes per instruction; the scalar JS kernel gives the same numbers where SIMD is missing.
 */
export interface LaneKernel {
  readonly lanes: number;
  readonly engine: "wasm" | "js";
  /** n * lanes losses; pull adds this round's increments. */
  readonly loss: Float64Array;
  /** n * lanes increments to pass on this round (0 where a node passes nothing, and in free lanes). */
  readonly delta: Float64Array;
  /** n * lanes; linear: capped stress already passed on; single-hit and threshold: 1 once passed on. */
  readonly passed: Float64Array;
  /** Per lane: scan counts active nodes and the exposures they owe on (sum of their debt-row lengths). */
  readonly active: Float64Array;
  readonly activeEdges: Float64Array;
  /** Per lane: pull adds sum_i (increment_i / E_i)^2, the squared norm of the round's stress change. */
  readonly change: Float64Array;
  /** Marks lane s occupied (scan skips free lanes and leaves their increments at 0). */
  occupy(s: number, occupied: boolean): void;
  /**
   * How pull adds lane s's terms: "sum" (the default): loss_i + (t_1 + t_2 + ...), increment = the sum;
   * "onto": ((loss_i + t_1) + t_2) + ..., increment = new loss - old loss. Terms come by borrower, in row order.
   */
  accumulate(s: number, mode: "sum" | "onto"): void;
  scan(): void;
  pull(): void;
}

/** How a node's stress passes on; see StressRule in debtrank.ts. */
export type KernelRule = "linear" | "single-hit" | "threshold";

export interface KernelOptions {
  rule: KernelRule;
  /** threshold rule: stress at which a node passes on 1. */
  threshold: number;
  /** Default "wasm" where the runtime supports it. */
  engine?: "wasm" | "js";
}

/** Target size of the increments one column block of the pull reads: well inside a first-level data cache. */
const blockBytes = 24 * 1024;

/** WebAssembly memory is addressed with 32 bits; stay well inside it (and use scalar code beyond). */
const wasmLimit = 1 << 30;

/**
 * Buffers and passes for `lanes` scenarios over `net`; `inverse[i]` is 1 / E_i, 0 for a node without capital
 * (whose stress counts as 1). WebAssembly for an even number of lanes where available, else scalar JS.
 */
export function laneKernel(
  net: Network,
  inverse: Float64Array,
  lanes: number,
  options: KernelOptions,
): LaneKernel {
  if ((options.engine ?? "wasm") === "wasm" && lanes % 2 === 0) {
    const kernel = wasmKernel(net, inverse, lanes, options);
    if (kernel) return kernel;
  }
  return jsKernel(net, inverse, lanes, options);
}

function jsKernel(net: Network, inverse: Float64Array, lanes: number, options: KernelOptions): LaneKernel {
  const n = net.size;
  const loss = new Float64Array(n * lanes);
  const delta = new Float64Array(n * lanes);
  const passed = new Float64Array(n * lanes);
  const active = new Float64Array(lanes);
  const activeEdges = new Float64Array(lanes);
  const change = new Float64Array(lanes);
  const occupied = new Uint8Array(lanes);
  const { debtStart } = net;
  const { rule, threshold } = options;
  const scan = () => {
    active.fill(0);
    activeEdges.fill(0);
    for (let j = 0; j < n; j++) {
      const inv = inverse[j]!;
      const degree = debtStart[j + 1]! - debtStart[j]!;
      for (let s = 0; s < lanes; s++) {
        const at = j * lanes + s;
        if (!occupied[s]) {
          delta[at] = 0;
          continue;
        }
        const h = inv === 0 ? 1 : loss[at]! * inv;
        let d = 0;
        if (rule === "linear") {
          // Store the capped level itself (not passed + d) so an unchanged node yields exactly zero next round.
          const level = Math.min(h, 1);
          d = level - passed[at]!;
          if (d > 0) passed[at] = level;
          else d = 0;
        } else if (passed[at] === 0) {
          if (rule === "single-hit") d = h > 0 ? Math.min(h, 1) : 0;
          else d = h >= threshold ? 1 : 0;
          if (d > 0) passed[at] = 1;
        }
        delta[at] = d;
        if (d > 0) {
          active[s]!++;
          activeEdges[s]! += degree;
        }
      }
    }
  };
  const onto = new Uint8Array(lanes);
  const pull = () => {
    if (lanes === 1 && !onto[0]) pullOne(net, inverse, delta, loss, change);
    else pullLanes(net, inverse, lanes, onto, delta, loss, change);
  };
  const occupy = (s: number, on: boolean) => {
    occupied[s] = on ? 1 : 0;
  };
  const accumulate = (s: number, mode: "sum" | "onto") => {
    onto[s] = mode === "onto" ? 1 : 0;
  };
  return {
    lanes,
    engine: "js",
    loss,
    delta,
    passed,
    active,
    activeEdges,
    change,
    occupy,
    accumulate,
    scan,
    pull,
  };
}

function pullOne(
  net: Network,
  inverse: Float64Array,
  delta: Float64Array,
  loss: Float64Array,
  change: Float64Array,
): void {
  const { assetStart, assetBorrower, assetAmount } = net;
  let sum = 0;
  for (let i = 0; i < net.size; i++) {
    let acc = 0;
    const end = assetStart[i + 1]!;
    for (let k = assetStart[i]!; k < end; k++) acc += assetAmount[k]! * delta[assetBorrower[k]!]!;
    loss[i]! += acc;
    const ds = acc * inverse[i]!;
    sum += ds * ds;
  }
  change[0]! += sum;
}

function pullLanes(
  net: Network,
  inverse: Float64Array,
  lanes: number,
  onto: Uint8Array,
  delta: Float64Array,
  loss: Float64Array,
  change: Float64Array,
): void {
  const { assetStart, assetBorrower, assetAmount } = net;
  const acc = new Float64Array(lanes);
  const sum = new Float64Array(lanes);
  for (let i = 0; i < net.size; i++) {
    for (let s = 0; s < lanes; s++) acc[s] = onto[s] ? loss[i * lanes + s]! : 0;
    const end = assetStart[i + 1]!;
    for (let k = assetStart[i]!; k < end; k++) {
      const a = assetAmount[k]!;
      const j = assetBorrower[k]! * lanes;
      for (let s = 0; s < lanes; s++) acc[s]! += a * delta[j + s]!;
    }
    const inv = inverse[i]!;
    for (let s = 0; s < lanes; s++) {
      const before = loss[i * lanes + s]!;
      let ds: number;
      if (onto[s]) {
        loss[i * lanes + s] = acc[s]!;
        ds = (acc[s]! - before) * inv;
      } else {
        loss[i * lanes + s] = before + acc[s]!;
        ds = acc[s]! * inv;
      }
      sum[s]! += ds * ds;
    }
  }
  for (let s = 0; s < lanes; s++) change[s]! += sum[s]!;
}

/**
 * Wasm memory holds, each block 16-byte aligned: the exposures in column blocks (see pullFunc), as each row's
 * start per block, the borrowers as byte addresses of their increments in `delta`, and the amounts; 1 / E;
 * each node's debt-row length; then the lane arrays. Precomputed addresses leave two loads and lanes / 2
 * multiply-adds per exposure in the pull.
 */
function wasmKernel(
  net: Network,
  inverse: Float64Array,
  lanes: number,
  options: KernelOptions,
): LaneKernel | null {
  const module = compiled(lanes);
  if (!module) return null;
  const n = net.size;
  const m = net.assetBorrower.length;
  // Column blocks: as many as keep one block's increments (width * lanes * 8 bytes) near blockBytes.
  const blocks = Math.max(1, Math.min(n, Math.round((n * lanes * 8) / blockBytes)));
  const width = Math.ceil(n / blocks);
  let top = 0;
  const block = (bytes: number) => {
    const at = top;
    top = Math.ceil((top + bytes) / 16) * 16;
    return at;
  };
  const rowsAt = block(blocks * (n + 1) * 4);
  const borrowersAt = block(m * 4);
  const amountsAt = block(m * 8);
  const inverseAt = block(n * 8);
  const degreeAt = block(n * 8);
  const lossAt = block(n * lanes * 8);
  const deltaAt = block(n * lanes * 8);
  const passedAt = block(n * lanes * 8);
  const partialAt = block(blocks > 1 ? n * lanes * 8 : 0);
  const maskAt = block(lanes * 8);
  const ontoAt = block(lanes * 8);
  const activeAt = block(lanes * 8);
  const edgesAt = block(lanes * 8);
  const changeAt = block(lanes * 8);
  if (top > wasmLimit) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(top / 65536)) });
  const { buffer } = memory;
  // The exposures block by block, each block row by row (rows are sorted by borrower, so a row's part in a
  // block is contiguous).
  const rows = new Int32Array(buffer, rowsAt, blocks * (n + 1));
  const borrowers = new Int32Array(buffer, borrowersAt, m);
  const amounts = new Float64Array(buffer, amountsAt, m);
  const { assetStart, assetBorrower, assetAmount } = net;
  const cursor = assetStart.slice(0, n);
  let e = 0;
  for (let c = 0; c < blocks; c++) {
    const bound = (c + 1) * width;
    for (let i = 0; i < n; i++) {
      rows[c * (n + 1) + i] = borrowersAt + e * 4;
      const end = assetStart[i + 1]!;
      for (let k = cursor[i]!; k < end && assetBorrower[k]! < bound; k++) {
        borrowers[e] = deltaAt + assetBorrower[k]! * lanes * 8;
        amounts[e++] = assetAmount[k]!;
        cursor[i]!++;
      }
    }
    rows[c * (n + 1) + n] = borrowersAt + e * 4;
  }
  new Float64Array(buffer, inverseAt, n).set(inverse);
  const degree = new Float64Array(buffer, degreeAt, n);
  for (let j = 0; j < n; j++) degree[j] = net.debtStart[j + 1]! - net.debtStart[j]!;
  // Lane masks: all bits set in an occupied lane (written as two int32 so no float canonicalisation touches it).
  const mask = new Int32Array(buffer, maskAt, lanes * 2);
  const onto = new Int32Array(buffer, ontoAt, lanes * 2);
  const exports = new WebAssembly.Instance(module, { m: { memory } }).exports;
  const pullRun = exports.pull as (...args: number[]) => void;
  const scanRun = exports[scanName[options.rule]] as (...args: number[]) => void;
  const threshold = options.threshold;
  // Amounts sit at a fixed distance from their borrower entries: amount address = amountsAt + 2 * (b - borrowersAt).
  const amountBase = amountsAt - 2 * borrowersAt;
  return {
    lanes,
    engine: "wasm",
    loss: new Float64Array(buffer, lossAt, n * lanes),
    delta: new Float64Array(buffer, deltaAt, n * lanes),
    passed: new Float64Array(buffer, passedAt, n * lanes),
    active: new Float64Array(buffer, activeAt, lanes),
    activeEdges: new Float64Array(buffer, edgesAt, lanes),
    change: new Float64Array(buffer, changeAt, lanes),
    occupy: (s, on) => mask.fill(on ? -1 : 0, 2 * s, 2 * s + 2),
    accumulate: (s, mode) => onto.fill(mode === "onto" ? -1 : 0, 2 * s, 2 * s + 2),
    scan: () =>
      scanRun(n, lossAt, passedAt, deltaAt, inverseAt, degreeAt, maskAt, activeAt, edgesAt, threshold),
    pull: () => pullRun(n, rowsAt, amountBase, inverseAt, lossAt, changeAt, partialAt, blocks, ontoAt),
  };
}

const scanName: Record<KernelRule, string> = {
  linear: "scanLinear",
  "single-hit": "scanSingleHit",
  threshold: "scanThreshold",
};

const modules = new Map<number, WebAssembly.Module | null>();

function compiled(lanes: number): WebAssembly.Module | null {
  let module = modules.get(lanes);
  if (module === undefined) {
    module = null;
    if (typeof WebAssembly === "object") {
      const bytes = kernelModule(lanes);
      if (WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
    }
    modules.set(lanes, module);
  }
  return module;
}

// ---------------------------------------------------------------------------------------------------------
// The module, written out in the WebAssembly binary format (core opcodes, and SIMD ones after the 0xfd prefix).

const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Const: 0x41,
  i32Eq: 0x46,
  i32GeU: 0x4f,
  i32Sub: 0x6b,
  if: 0x04,
  else: 0x05,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  void: 0x40,
  i32: 0x7f,
  f64: 0x7c,
  v128: 0x7b,
};
const simd = {
  load: 0x00,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f64x2Splat: 0x14,
  f64x2Eq: 0x47,
  f64x2Gt: 0x4a,
  f64x2Ge: 0x4c,
  and: 0x4e,
  bitselect: 0x52,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Min: 0xf4,
};

function uleb(x: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = x & 0x7f;
    x >>>= 7;
    if (x === 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function sleb(x: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const get = (x: number) => [op.localGet, ...uleb(x)];
const set = (x: number) => [op.localSet, ...uleb(x)];
const tee = (x: number) => [op.localTee, ...uleb(x)];
const i32 = (x: number) => [op.i32Const, ...sleb(x)];
const v = (code: number) => [0xfd, ...uleb(code)];
/** v128 load / store at address (on the stack) + offset. */
const load = (offset = 0) => [...v(simd.load), 4, ...uleb(offset)];
const store = (offset = 0) => [...v(simd.store), 4, ...uleb(offset)];
const splat64 = [...v(simd.load64Splat), 3, 0];
const i32Load = (offset = 0) => [op.i32Load, 2, ...uleb(offset)];
const constant = (x: number) => {
  const bytes = new Uint8Array(new Float64Array([x, x]).buffer);
  return [...v(simd.const), ...bytes];
};
/** `while (!(a >= b)) { body }` on i32 locals, as block/loop. */
const whileBelow = (a: number, b: number, body: number[]) => [
  op.block,
  op.void,
  op.loop,
  op.void,
  ...get(a),
  ...get(b),
  op.i32GeU,
  op.brIf,
  1,
  ...body,
  op.br,
  0,
  op.end,
  op.end,
];
const repeat = (count: number, f: (k: number) => number[]) =>
  Array.from({ length: count }, (_, k) => f(k)).flat();

interface Func {
  name: string;
  params: number[];
  locals: number[];
  code: number[];
}

/**
 * pull(n, rows, amountBase, inverse, loss, change, partial, blocks, onto), with V = lanes / 2 pairs of lanes.
 * The exposures come in `blocks` column blocks (ranges of borrowers, in order), block after block, so that
 * the increments one block reads stay in the first-level cache; a creditor's running sums carry over from
 * block to block in `partial`, so every sum still adds its terms in row order. `onto` masks the lanes that
 * add onto the loss itself:
 *
 *   for each block c:
 *     p = rows[c][0]                                         // address of the current borrower entry
 *     for i in 0..n-1:
 *       acc[v] = c > 0 ? partial[i][v] : onto[v] ? loss[i][v] : 0
 *       while p < rows[c][i + 1]:
 *         a = splat(f64 at amountBase + 2p); d = i32 at p    // d: address of the borrower's increments
 *         acc[v] = acc[v] + a * (f64x2 at d + 16v);  p += 4
 *       if c is the last block:
 *         l = loss[i][v];  loss[i][v] = onto[v] ? acc[v] : l + acc[v]
 *         t = (onto[v] ? acc[v] - l : acc[v]) * splat(inverse[i]);  sq[v] = sq[v] + t * t
 *       else partial[i][v] = acc[v]
 *   change[v] = change[v] + sq[v]
 */
function pullFunc(lanes: number): Func {
  const pairs = lanes / 2;
  const [n, rows, amountBase, inverse, loss, change, partial, blocks, onto] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, p, end, d, o, i4, c, last] = [9, 10, 11, 12, 13, 14, 15, 16];
  const [a, t, inv, l] = [17, 18, 19, 20];
  const acc = (k: number) => 21 + k;
  const sq = (k: number) => 21 + pairs + k;
  const ontoMask = (k: number) => [...get(onto), ...load(16 * k)];
  const code = [
    ...get(blocks),
    ...i32(1),
    op.i32Sub,
    ...set(last),
    ...i32(0),
    ...set(c),
    ...whileBelow(c, blocks, [
      ...get(rows),
      ...i32Load(),
      ...set(p),
      ...i32(0),
      ...set(i),
      ...whileBelow(i, n, [
        ...get(i),
        ...i32(2),
        op.i32Shl,
        ...set(i4),
        ...get(rows),
        ...get(i4),
        op.i32Add,
        ...i32Load(4),
        ...set(end),
        ...get(i),
        ...i32(lanes * 8),
        op.i32Mul,
        ...set(o),
        ...get(c),
        op.if,
        op.void,
        ...repeat(pairs, (k) => [...get(partial), ...get(o), op.i32Add, ...load(16 * k), ...set(acc(k))]),
        op.else,
        ...repeat(pairs, (k) => [
          ...get(loss),
          ...get(o),
          op.i32Add,
          ...load(16 * k),
          ...ontoMask(k),
          ...v(simd.and),
          ...set(acc(k)),
        ]),
        op.end,
        ...whileBelow(p, end, [
          ...get(amountBase),
          ...get(p),
          ...i32(1),
          op.i32Shl,
          op.i32Add,
          ...splat64,
          ...set(a),
          ...get(p),
          ...i32Load(),
          ...set(d),
          ...repeat(pairs, (k) => [
            ...get(acc(k)),
            ...get(a),
            ...get(d),
            ...load(16 * k),
            ...v(simd.f64x2Mul),
            ...v(simd.f64x2Add),
            ...set(acc(k)),
          ]),
          ...get(p),
          ...i32(4),
          op.i32Add,
          ...set(p),
        ]),
        ...get(c),
        ...get(last),
        op.i32Eq,
        op.if,
        op.void,
        ...get(loss),
        ...get(o),
        op.i32Add,
        ...set(o),
        ...get(inverse),
        ...get(i4),
        op.i32Add,
        ...get(i4),
        op.i32Add,
        ...splat64,
        ...set(inv),
        ...repeat(pairs, (k) => [
          ...get(o),
          ...load(16 * k),
          ...set(l),
          // loss = onto ? acc : l + acc
          ...get(o),
          ...get(acc(k)),
          ...get(l),
          ...get(acc(k)),
          ...v(simd.f64x2Add),
          ...ontoMask(k),
          ...v(simd.bitselect),
          ...store(16 * k),
          // t = (onto ? acc - l : acc) * inv;  sq += t * t
          ...get(sq(k)),
          ...get(acc(k)),
          ...get(l),
          ...v(simd.f64x2Sub),
          ...get(acc(k)),
          ...ontoMask(k),
          ...v(simd.bitselect),
          ...get(inv),
          ...v(simd.f64x2Mul),
          ...tee(t),
          ...get(t),
          ...v(simd.f64x2Mul),
          ...v(simd.f64x2Add),
          ...set(sq(k)),
        ]),
        op.else,
        ...repeat(pairs, (k) => [...get(partial), ...get(o), op.i32Add, ...get(acc(k)), ...store(16 * k)]),
        op.end,
        ...get(i),
        ...i32(1),
        op.i32Add,
        ...set(i),
      ]),
      // Next block's rows.
      ...get(rows),
      ...get(n),
      ...i32(1),
      op.i32Add,
      ...i32(2),
      op.i32Shl,
      op.i32Add,
      ...set(rows),
      ...get(c),
      ...i32(1),
      op.i32Add,
      ...set(c),
    ]),
    ...repeat(pairs, (k) => [
      ...get(change),
      ...get(change),
      ...load(16 * k),
      ...get(sq(k)),
      ...v(simd.f64x2Add),
      ...store(16 * k),
    ]),
  ];
  return {
    name: "pull",
    params: new Array(9).fill(op.i32),
    locals: [...new Array(8).fill(op.i32), ...new Array(4 + 2 * pairs).fill(op.v128)],
    code,
  };
}

/**
 * scan(n, loss, passed, delta, inverse, degree, mask, active, edges, threshold), pair of lanes by pair:
 *
 *   for each node j:  h = inverse[j] == 0 ? 1 : loss * inverse[j]
 *     linear:       level = min(h, 1); d = level - passed; fire = d > 0;  passed = fire ? level : passed
 *     single-hit:   fire = passed == 0 && h > 0;           d = fire ? min(h, 1) : 0;  passed = fire ? 1 : passed
 *     threshold:    fire = passed == 0 && h >= threshold;  d = fire ? 1 : 0;          passed = fire ? 1 : passed
 *     fire &= lane occupied;  delta = fire ? d : 0;  active += fire;  edges += fire ? degree[j] : 0
 */
function scanFunc(lanes: number, rule: KernelRule): Func {
  const [n, loss, passed, delta, inverse, degree, mask, active, edges, threshold] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ];
  const [pair, at, j8, n8] = [10, 11, 12, 13];
  const [lane, one, zero, limit, inv, h, p, d, fire, level, count, sum] = [
    14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
  ];
  const address = (base: number) => [...get(base), ...get(at), op.i32Add];
  let rulePart: number[];
  if (rule === "linear") {
    rulePart = [
      ...get(h),
      ...get(one),
      ...v(simd.f64x2Min),
      ...tee(level),
      ...get(p),
      ...v(simd.f64x2Sub),
      ...tee(d),
      ...get(zero),
      ...v(simd.f64x2Gt),
      ...get(lane),
      ...v(simd.and),
      ...set(fire),
      ...address(passed),
      ...get(level),
      ...get(p),
      ...get(fire),
      ...v(simd.bitselect),
      ...store(),
    ];
  } else {
    const fires =
      rule === "single-hit"
        ? [...get(h), ...get(zero), ...v(simd.f64x2Gt)]
        : [...get(h), ...get(limit), ...v(simd.f64x2Ge)];
    const passes = rule === "single-hit" ? [...get(h), ...get(one), ...v(simd.f64x2Min)] : get(one);
    rulePart = [
      ...fires,
      ...get(p),
      ...get(zero),
      ...v(simd.f64x2Eq),
      ...v(simd.and),
      ...get(lane),
      ...v(simd.and),
      ...set(fire),
      ...passes,
      ...set(d),
      ...address(passed),
      ...get(one),
      ...get(p),
      ...get(fire),
      ...v(simd.bitselect),
      ...store(),
    ];
  }
  const code: number[] = [];
  const pairsBytes = lanes * 8;
  const pairLimit = 26; // i32 local holding lanes * 8
  code.push(
    ...constant(1),
    ...set(one),
    ...constant(0),
    ...set(zero),
    ...get(threshold),
    ...v(simd.f64x2Splat),
    ...set(limit),
    ...get(n),
    ...i32(8),
    op.i32Mul,
    ...set(n8),
    ...i32(pairsBytes),
    ...set(pairLimit),
    ...i32(0),
    ...set(pair),
    ...whileBelow(pair, pairLimit, [
      ...get(mask),
      ...get(pair),
      op.i32Add,
      ...load(),
      ...set(lane),
      ...constant(0),
      ...set(count),
      ...constant(0),
      ...set(sum),
      ...get(pair),
      ...set(at),
      ...i32(0),
      ...set(j8),
      ...whileBelow(j8, n8, [
        ...get(inverse),
        ...get(j8),
        op.i32Add,
        ...splat64,
        ...set(inv),
        // h = inv == 0 ? 1 : loss * inv
        ...get(one),
        ...address(loss),
        ...load(),
        ...get(inv),
        ...v(simd.f64x2Mul),
        ...get(inv),
        ...get(zero),
        ...v(simd.f64x2Eq),
        ...v(simd.bitselect),
        ...set(h),
        ...address(passed),
        ...load(),
        ...set(p),
        ...rulePart,
        ...address(delta),
        ...get(d),
        ...get(fire),
        ...v(simd.and),
        ...store(),
        ...get(count),
        ...get(one),
        ...get(fire),
        ...v(simd.and),
        ...v(simd.f64x2Add),
        ...set(count),
        ...get(sum),
        ...get(degree),
        ...get(j8),
        op.i32Add,
        ...splat64,
        ...get(fire),
        ...v(simd.and),
        ...v(simd.f64x2Add),
        ...set(sum),
        ...get(at),
        ...i32(pairsBytes),
        op.i32Add,
        ...set(at),
        ...get(j8),
        ...i32(8),
        op.i32Add,
        ...set(j8),
      ]),
      ...get(active),
      ...get(pair),
      op.i32Add,
      ...get(count),
      ...store(),
      ...get(edges),
      ...get(pair),
      op.i32Add,
      ...get(sum),
      ...store(),
      ...get(pair),
      ...i32(16),
      op.i32Add,
      ...set(pair),
    ]),
  );
  return {
    name: scanName[rule],
    params: [...new Array(9).fill(op.i32), op.f64],
    locals: [...new Array(4).fill(op.i32), ...new Array(12).fill(op.v128), op.i32],
    code,
  };
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => vector([...s].map((c) => [c.charCodeAt(0)]));

/** One module per lane count: imports memory "m.memory"; exports pull and the three scans. */
function kernelModule(lanes: number): Uint8Array<ArrayBuffer> {
  const funcs = [
    pullFunc(lanes),
    scanFunc(lanes, "linear"),
    scanFunc(lanes, "single-hit"),
    scanFunc(lanes, "threshold"),
  ];
  const types = funcs.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0]);
  const bodies = funcs.map((f) => {
    // Locals as runs of one type.
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]!++;
      else runs.push([1, t]);
    }
    const body = [...vector(runs.map(([count, t]) => [...uleb(count!), t!])), ...f.code, op.end];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name("m"), ...name("memory"), 0x02, 0x00, 1]])),
    ...section(3, vector(funcs.map((_, k) => uleb(k)))),
    ...section(7, vector(funcs.map((f, k) => [...name(f.name), 0x00, ...uleb(k)]))),
    ...section(10, vector(bodies)),
  ]);
}
