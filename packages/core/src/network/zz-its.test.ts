import { it } from "vitest";
import { debtRank } from "/work/main/packages/core/src/network/debtrank.ts";
import { randomNetwork } from "/work/main/packages/core/src/network/random-network.ts";
it("x", () => {
const net = randomNetwork({ nodes: 200, exposures: 3000, seed: 21, interbankShare: 0.08, capitalShare: [0.04, 0.12] });
const its: number[] = [];
const t0 = performance.now();
for (let k = 0; k < 200; k += 20) { const f = new Uint8Array(200); f[k] = 1; its.push(debtRank(net, { loss: new Float64Array(200), forced: f }).iterations); }
console.log(its, performance.now() - t0);
});
