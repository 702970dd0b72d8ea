import { describe, expect, it } from "vitest";
import type { Network } from "./network.ts";
import { randomNetwork, seededRandom } from "./random-network.ts";
import { type KernelRule, type LaneKernel, laneKernel } from "./stress-kernel.ts";

const net = randomNetwork({ nodes: 300, exposures: 6000, seed: 5, interbankShare: 0.1 });
const rules: KernelRule[] = ["linear", "single-hit", "threshold"];

/** 1 / capital, with a few nodes without capital (inverse 0: stress pinned at 1). */
function inverseOf(network: Network): Float64Array {
  return network.capital.map((c, i) => (i % 37 === 5 || c <= 0 ? 0 : 1 / c));
}

/** Random losses around capital, some increments already passed on, and some free lanes. */
function fill(kernels: LaneKernel[], seed: number): void {
  const rand = seededRandom(seed);
  const lanes = kernels[0]!.lanes;
  for (let s = 0; s < lanes; s++) {
    const on = s % 5 !== 3;
    for (const k of kernels) {
      k.occupy(s, on);
      k.accumulate(s, s % 3 === 1 ? "onto" : "sum");
    }
  }
  for (let x = 0; x < net.size * lanes; x++) {
    const i = Math.floor(x / lanes);
    const loss = rand() < 0.3 ? 0 : 1.5 * rand() * Math.max(0, net.capital[i]!);
    const u = rand();
    const passed = u < 0.4 ? 0 : u < 0.7 ? 1 : rand();
    const delta = rand() < 0.5 ? 0 : rand();
    for (const k of kernels) {
      k.loss[x] = loss;
      k.passed[x] = passed;
      k.delta[x] = delta;
    }
  }
}

function same(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let x = 0; x < a.length; x++) {
    if (!Object.is(a[x], b[x])) expect.fail(`entry ${x}: ${a[x]} vs ${b[x]}`);
  }
}

describe("stress kernel", () => {
  it("uses WebAssembly SIMD for even lane counts", () => {
    expect(laneKernel(net, inverseOf(net), 16, { rule: "linear", threshold: 1 }).engine).toBe("wasm");
    expect(laneKernel(net, inverseOf(net), 1, { rule: "linear", threshold: 1 }).engine).toBe("js");
  });

  for (const lanes of [2, 4, 16]) {
    for (const rule of rules) {
      it(`${lanes} lanes, ${rule}: the SIMD scan and pull give the scalar kernel's bits`, () => {
        const inverse = inverseOf(net);
        const options = { rule, threshold: 0.6 };
        const wasm = laneKernel(net, inverse, lanes, options);
        const js = laneKernel(net, inverse, lanes, { ...options, engine: "js" });
        expect(wasm.engine).toBe("wasm");
        fill([wasm, js], lanes * 10 + rules.indexOf(rule));
        wasm.scan();
        js.scan();
        same(wasm.delta, js.delta);
        same(wasm.passed, js.passed);
        same(wasm.active, js.active);
        same(wasm.activeEdges, js.activeEdges);
        for (let s = 0; s < lanes; s++) {
          if (s % 5 === 3) {
            expect(wasm.active[s]).toBe(0);
            for (let i = 0; i < net.size; i++) expect(wasm.delta[i * lanes + s]).toBe(0);
          } else expect(wasm.active[s]!).toBeGreaterThan(0);
        }
        wasm.change.fill(0);
        js.change.fill(0);
        wasm.pull();
        js.pull();
        same(wasm.loss, js.loss);
        same(wasm.change, js.change);
      });
    }
  }

  it("pulls loss_i += sum_j A_ij delta_j in every lane, in row order, summed apart or onto the loss", () => {
    const inverse = inverseOf(net);
    const lanes = 4;
    const kernel = laneKernel(net, inverse, lanes, { rule: "linear", threshold: 1 });
    const rand = seededRandom(3);
    const before = Float64Array.from({ length: net.size * lanes }, () => 10 * rand());
    kernel.loss.set(before);
    for (let x = 0; x < net.size * lanes; x++) kernel.delta[x] = rand() < 0.5 ? 0 : rand();
    kernel.accumulate(1, "onto");
    kernel.accumulate(3, "onto");
    kernel.change.fill(0);
    kernel.pull();
    for (let s = 0; s < lanes; s++) {
      let change = 0;
      for (let i = 0; i < net.size; i++) {
        const old = before[i * lanes + s]!;
        let acc = s % 2 === 1 ? old : 0;
        for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++)
          acc += net.assetAmount[k]! * kernel.delta[net.assetBorrower[k]! * lanes + s]!;
        const loss = s % 2 === 1 ? acc : old + acc;
        expect(kernel.loss[i * lanes + s]).toBe(loss);
        const ds = (s % 2 === 1 ? acc - old : acc) * inverse[i]!;
        change += ds * ds;
      }
      expect(kernel.change[s]).toBe(change);
    }
  });
});
