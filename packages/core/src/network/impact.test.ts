import { describe, expect, it } from "vitest";
import { expm, multiply, solveDense } from "./dense.ts";
import { impactDiffusion, impactFluidity, impactSusceptibility } from "./impact.ts";
import { randomNetwork, seededRandom } from "./random-network.ts";

describe("dense helpers", () => {
  it("exp of a rotation generator is the rotation", () => {
    const t = 2.5;
    const r = expm(Float64Array.of(0, t, -t, 0), 2);
    const expected = [Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t)];
    expected.forEach((x, k) => {
      expect(Math.abs(r[k]! - x)).toBeLessThan(1e-14);
    });
  });

  it("scales and squares large matrices: exp(diag(12, -3)) and exp(A) exp(-A) = I", () => {
    const d = expm(Float64Array.of(12, 0, 0, -3), 2);
    expect(Math.abs(d[0]! / Math.exp(12) - 1)).toBeLessThan(1e-13);
    expect(Math.abs(d[3]! / Math.exp(-3) - 1)).toBeLessThan(1e-13);
    const rand = seededRandom(1);
    const n = 6;
    const a = Float64Array.from({ length: n * n }, () => 4 * rand() - 2);
    const product = multiply(
      expm(a, n),
      expm(
        a.map((x) => -x),
        n,
      ),
      n,
    );
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++)
        expect(Math.abs(product[i * n + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-10);
    }
  });

  it("a long Taylor series agrees with the Pade approximant", () => {
    const rand = seededRandom(2);
    const n = 5;
    const a = Float64Array.from({ length: n * n }, () => rand() - 0.5);
    const pade = expm(a, n);
    const taylor = expm(a, n, 30);
    pade.forEach((x, k) => {
      expect(Math.abs(x - taylor[k]!)).toBeLessThan(1e-14);
    });
  });

  it("solves linear systems and refuses singular ones", () => {
    const x = solveDense(Float64Array.of(2, 1, 1, 3), Float64Array.of(3, 5), 2)!;
    expect(x[0]).toBeCloseTo(0.8, 14);
    expect(x[1]).toBeCloseTo(1.4, 14);
    expect(solveDense(Float64Array.of(1, 2, 2, 4), Float64Array.of(1, 1), 2)).toBeNull();
  });
});

describe("impact measures on a random network", () => {
  const net = randomNetwork({
    nodes: 40,
    exposures: 200,
    seed: 8,
    interbankShare: 0.6,
    capitalShare: [0.02, 0.08],
  });

  it("fluidity is the mean susceptibility, and diffusion totals its parts", () => {
    const s = impactSusceptibility(net);
    expect(impactFluidity(net)).toBeCloseTo(s.reduce((a, b) => a + b, 0) / net.size, 14);
    expect(s.some((x) => x > 0)).toBe(true);
    for (const d of impactDiffusion(net)) {
      expect(d.start).toBeGreaterThanOrEqual(0);
      expect(d.intermediate).toBeGreaterThanOrEqual(0);
      expect(d.total).toBeCloseTo(d.start + d.intermediate, 14);
    }
  });

  it("weighted susceptibility scales communicability by the node weights", () => {
    const plain = impactSusceptibility(net, { weighted: true, binary: false });
    const again = impactSusceptibility(net, { weighted: true, binary: false, terms: 40 });
    plain.forEach((x, i) => {
      expect(Math.abs(x - again[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, x));
    });
  });
});
