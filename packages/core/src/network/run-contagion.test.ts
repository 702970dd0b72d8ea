import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { debtRank } from "./debtrank.ts";
import { randomNetwork } from "./random-network.ts";
import { type ContagionMethod, contagionMethods, runContagion } from "./run-contagion.ts";

const net = randomNetwork({
  nodes: 60,
  exposures: 240,
  seed: 17,
  interbankShare: 0.15,
  capitalShare: [0.03, 0.1],
});
const extra: Record<ContagionMethod, object> = {
  "eisenberg-noe": {},
  "rogers-veraart": { alpha: 0.5, beta: 0.8 },
  furfine: { recoveryRate: 0.2 },
  debtrank: {},
  "debtrank-single-hit": {},
  threshold: {},
};

describe("runContagion", () => {
  it("summarises every method consistently with its per-node outcomes", () => {
    for (const method of contagionMethods) {
      const result = runContagion(net, {
        method,
        shock: { kind: "uniform", fraction: 0.3 },
        ...extra[method],
      });
      expect(result.method).toBe(method);
      const [s] = result.scenarios;
      const nodes = s!.nodes!;
      expect(nodes).toHaveLength(net.size);
      const total = net.weight.reduce((a, b) => a + b, 0);
      const weighted = (f: (k: number) => number) =>
        nodes.reduce((acc, _, k) => acc + net.weight[k]! * f(k), 0) / total;
      expect(s!.originalStress).toBeCloseTo(
        weighted((k) => Math.min(1, nodes[k]!.initialStress)),
        12,
      );
      expect(s!.originalStress + s!.additionalStress).toBeCloseTo(
        weighted((k) => Math.min(1, nodes[k]!.finalStress)),
        12,
      );
      const lost = nodes.reduce((acc, n) => acc + n.initialEquity - n.finalEquity, 0);
      expect(s!.originalLosses + s!.additionalLosses).toBeCloseTo(lost, 8);
      expect(s!.initialDefaults + s!.additionalDefaults).toBe(nodes.filter((n) => n.defaulted).length);
      expect(s!.additionalStress).toBeGreaterThanOrEqual(-1e-12);
      expect(s!.converged).toBe(true);
      if (method === "eisenberg-noe" || method === "rogers-veraart") expect(nodes[0]!.payment).toBeDefined();
      else expect(nodes[0]!.payment).toBeUndefined();
    }
  });

  it("ranks institutions by the damage of their own default", () => {
    const result = runContagion(net, { method: "debtrank", shock: { kind: "each" } });
    expect(result.scenarios).toHaveLength(net.size);
    expect(result.scenarios[0]!.nodes).toBeUndefined();
    const ranking = result.ranking!;
    expect(ranking.map((r) => r.rank)).toEqual(Array.from({ length: net.size }, (_, k) => k + 1));
    expect(new Set(ranking.map((r) => r.id)).size).toBe(net.size);
    for (let k = 1; k < ranking.length; k++) {
      expect(ranking[k - 1]!.additionalStress).toBeGreaterThanOrEqual(ranking[k]!.additionalStress);
    }
    // Each scenario is exactly the lone run of that default.
    const top = net.indexOf.get(ranking[0]!.id)!;
    const forced = new Uint8Array(net.size);
    forced[top] = 1;
    const lone = debtRank(net, { loss: new Float64Array(net.size), forced });
    const single = runContagion(net, {
      method: "debtrank",
      shock: { kind: "default", ids: [ranking[0]!.id] },
    });
    expect(single.scenarios[0]!.nodes!.map((n) => n.finalStress)).toEqual(Array.from(lone.stress));
    expect(single.scenarios[0]!.additionalStress).toBe(ranking[0]!.additionalStress);
  });

  it("rejects unknown methods, missing and misplaced parameters", () => {
    const shock = { kind: "none" } as const;
    expect(() => runContagion(net, { method: "contagion" as ContagionMethod, shock })).toThrow(
      /unknown method "contagion"/,
    );
    expect(() => runContagion(net, { method: "rogers-veraart", shock, alpha: 0.5 })).toThrow(
      /needs alpha and beta/,
    );
    expect(() => runContagion(net, { method: "debtrank", shock, recoveryRate: 0.4 })).toThrow(
      /recoveryRate does not apply to debtrank/,
    );
    expect(() => runContagion(net, { method: "furfine", shock, tolerance: 1e-3 })).toThrow(AppError);
    expect(() =>
      runContagion(net, { method: "debtrank", shock: { kind: "default", ids: ["nobody"] } }),
    ).toThrow(/unknown institution id "nobody"/);
  });

  it("an external shock on a subset leaves the other institutions' external assets alone", () => {
    const ids = [net.ids[0]!, net.ids[1]!];
    const result = runContagion(net, {
      method: "eisenberg-noe",
      shock: { kind: "external", fraction: 1, nodeIds: ids },
    });
    const nodes = result.scenarios[0]!.nodes!;
    nodes.forEach((n, i) => {
      const hit = i < 2 ? net.externalAssets[i]! : 0;
      expect(n.shockedEquity).toBeCloseTo(n.initialEquity - hit, 9);
    });
    expect(result.shock).toBe(`external:1:${ids.join(",")}`);
  });
});
