import { buildNetwork, type ExposureInput, type Network, type NodeInput } from "./network.ts";

/** mulberry32: a small seeded generator, so tests and benchmarks rebuild the same network every time. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomNetworkOptions {
  nodes: number;
  exposures: number;
  seed: number;
  /** Interbank assets as a share of external assets, on average; default 0.3. */
  interbankShare?: number;
  /** Capital as a share of total assets: uniform in [min, max]; default [0.02, 0.12]. */
  capitalShare?: [number, number];
}

/**
 * A random balanced interbank network (Erdos-Renyi links, lognormal sizes): every node's capital equals its
 * book equity, so clearing and capital-based methods see the same balance sheets.
 */
export function randomNetwork(options: RandomNetworkOptions): Network {
  const rand = seededRandom(options.seed);
  const n = options.nodes;
  const share = options.interbankShare ?? 0.3;
  const [lo, hi] = options.capitalShare ?? [0.02, 0.12];
  const size = Array.from({ length: n }, () =>
    Math.exp(Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())),
  );
  const seen = new Set<number>();
  const exposures: ExposureInput[] = [];
  const lent = new Float64Array(n);
  const borrowed = new Float64Array(n);
  const target = Math.min(options.exposures, n * (n - 1));
  const degree = Math.max(1, target / n);
  while (exposures.length < target) {
    const i = Math.floor(rand() * n);
    const j = Math.floor(rand() * n);
    if (i === j || seen.has(i * n + j)) continue;
    seen.add(i * n + j);
    const amount = (share * Math.sqrt(size[i]! * size[j]!) * (0.2 + rand())) / (0.7 * degree);
    exposures.push({ lender: `n${i}`, borrower: `n${j}`, amount });
    lent[i]! += amount;
    borrowed[j]! += amount;
  }
  // Capital is a share of the whole balance sheet (omitted from the input, so buildNetwork derives it as
  // book equity); external liabilities close the balance sheet.
  // A heavy borrower gets a larger balance sheet so that its external liabilities stay non-negative.
  const nodes: NodeInput[] = size.map((s, i) => {
    const total = Math.max(s + lent[i]!, borrowed[i]! / (1 - hi));
    const capital = (lo + (hi - lo) * rand()) * total;
    return {
      id: `n${i}`,
      externalAssets: total - lent[i]!,
      externalLiabilities: total - capital - borrowed[i]!,
      weight: total,
    };
  });
  return buildNetwork({ nodes, exposures });
}
