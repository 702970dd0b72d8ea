/**
 * Asset-management products, their holdings and the filing ledger. The catalogue is small (thousands), so
 * every task that needs it (products, sales) rebuilds it in memory from the seed. Each manager's products add
 * up to the product balance its returns report.
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import { fen, isoDate, padInt } from "./format.ts";
import { recordNo, scramble30 } from "./ids.ts";
import type { PlanContext } from "./plan-context.ts";
import { enterpriseCode } from "./population.ts";
import type { Rng } from "./random.ts";
import { ammBalanceEnd } from "./returns.ts";
import { detector } from "./truth.ts";
import { type Institution, streamRng, type World } from "./world.ts";
import { PeriodWriter, type WrittenFile } from "./writer.ts";

export type ProductType =
  | "bank_wmp"
  | "trust_plan"
  | "securities_am"
  | "futures_am"
  | "fund_special"
  | "public_fund"
  | "private_fund"
  | "insurance_am";
export type AssetClass = "fixed_income" | "equity" | "commodity_derivative" | "mixed";

export interface Holding {
  id: string;
  kind: "product" | "bond" | "stock" | "deposit" | "loan" | "equity_stake" | "bill" | "other";
  assetProduct: string | null;
  issuer: string | null;
  value: number;
  fixedReturn: boolean;
  buyBack: boolean;
}

export interface Product {
  seq: number;
  id: string;
  manager: Institution;
  name: string;
  type: ProductType;
  offering: "public" | "private";
  openEnded: boolean;
  tiered: boolean;
  priority: number;
  subordinated: number;
  assetClass: AssetClass;
  totalAssets: number;
  netAssets: number;
  repo: number;
  guaranteed: boolean;
  promisedRate: number | null;
  risk: number;
  filingId: string;
  inception: number;
  holdings: Holding[];
  /** Planted products are not sold (their signal stays in the product datasets). */
  planted: boolean;
}

export interface AgentFiling {
  id: string;
  agent: Institution;
  product: Product;
  filedOn: number;
  withdrawn: boolean;
}

export interface Catalogue {
  products: Product[];
  byId: Map<string, Product>;
  /** Next product sequence number (planted products continue the background numbering). */
  nextSeq: number;
  agentFilings: AgentFiling[];
  /** Products each seller may sell: its own and those it is authorised for (filed, not withdrawn). */
  sellable: Map<number, Product[]>;
}

const managerTypes: Partial<Record<InstitutionType, ProductType[]>> = {
  bank: ["bank_wmp"],
  trust: ["trust_plan"],
  securities_firm: ["securities_am"],
  futures_firm: ["futures_am"],
  public_fund_manager: [
    "public_fund",
    "public_fund",
    "public_fund",
    "public_fund",
    "public_fund",
    "public_fund",
    "fund_special",
  ],
  private_fund_manager: ["private_fund"],
  life_insurer: ["insurance_am"],
  pc_insurer: ["insurance_am"],
};

function productCount(inst: Institution, factor: number, rng: Rng): number {
  const r = (lo: number, hi: number) => Math.max(1, Math.round(rng.between(lo, hi) * factor));
  switch (inst.type) {
    case "bank":
      return inst.tier === 1 ? r(40, 80) : inst.tier === 2 ? r(25, 50) : inst.tier === 3 ? r(8, 25) : 0;
    case "trust":
      return r(40, 100);
    case "securities_firm":
      return r(15, 40);
    case "futures_firm":
      return r(4, 10);
    case "public_fund_manager":
      return r(30, 80);
    case "private_fund_manager":
      return r(3, 15);
    case "life_insurer":
    case "pc_insurer":
      return r(2, 6);
    default:
      return 0;
  }
}

const wmpWords = ["稳健增利", "安心盈", "季季享", "鑫享", "天天利", "周周宝", "悦享", "添利"];
const trustWords = ["渝城安居", "两江基建", "聚源", "长盈", "融信", "恒丰", "安泰"];
const amWords = ["稳盈", "优选", "红利", "量化", "领航", "睿享"];

function productName(type: ProductType, brand: string, n: number, cls: AssetClass, rng: Rng): string {
  switch (type) {
    case "bank_wmp":
      return `${brand}${rng.pick(wmpWords)}${n}号理财产品`;
    case "trust_plan":
      return `${brand}信托·${rng.pick(trustWords)}${n}号集合资金信托计划`;
    case "securities_am":
      return `${brand}证券${rng.pick(amWords)}${n}号集合资产管理计划`;
    case "futures_am":
      return `${brand}期货${rng.pick(amWords)}${n}号单一资产管理计划`;
    case "fund_special":
      return `${brand}基金${rng.pick(amWords)}${n}号资产管理计划`;
    case "public_fund":
      return `${brand}${rng.pick(amWords)}${cls === "fixed_income" ? "债券型" : cls === "equity" ? "股票型" : "混合型"}证券投资基金`;
    case "private_fund":
      return `${brand}${rng.pick(amWords)}${n}号私募${cls === "equity" ? "股权" : "证券"}投资基金`;
    case "insurance_am":
      return `${brand}资管${rng.pick(amWords)}${n}号资产管理产品`;
  }
}

/** Registration-style product codes; the sequence number is scrambled so codes carry no order. */
function productId(type: ProductType, seq: number, manager: Institution): string {
  const m = padInt(manager.idx, 4);
  switch (type) {
    case "bank_wmp":
      return `Z7${m}${recordNo(seq, 0x3b1)}`;
    case "trust_plan":
      return `ZXD${m}${recordNo(seq, 0x3b2)}`;
    case "securities_am":
      return `SAM${m}${recordNo(seq, 0x3b3)}`;
    case "futures_am":
      return `FAM${m}${recordNo(seq, 0x3b4)}`;
    case "fund_special":
      return `FSP${m}${recordNo(seq, 0x3b5)}`;
    case "public_fund":
      return padInt(100_000 + ((seq * 7_919 + 12_345) % 900_000), 6);
    case "private_fund":
      return `S${(46_656 + scramble30(seq, 0x3b6)).toString(36).toUpperCase()}`;
    case "insurance_am":
      return `IAM${m}${recordNo(seq, 0x3b7)}`;
  }
}

const filingId = (seq: number) => `FL${recordNo(seq, 0x3c1)}`;
const holdingId = (seq: number, j: number) => `H${recordNo(seq, 0x3c2)}-${j}`;

interface Shape {
  offering: "public" | "private";
  openEnded: boolean;
  assetClass: AssetClass;
  risk: number;
  promised: number | null;
  maxLeverage: number;
  tierable: boolean;
}

function shapeOf(type: ProductType, rng: Rng): Shape {
  switch (type) {
    case "bank_wmp": {
      const fixed = rng.chance(0.8);
      return {
        offering: "public",
        openEnded: rng.chance(0.6),
        assetClass: fixed ? "fixed_income" : "mixed",
        risk: fixed ? 1 + rng.int(2) : 2 + rng.int(2),
        promised: rng.range(0.022, 0.038),
        maxLeverage: 1.2,
        tierable: false,
      };
    }
    case "trust_plan": {
      const c = rng.pick<AssetClass>(["fixed_income", "fixed_income", "fixed_income", "mixed", "equity"]);
      return {
        offering: "private",
        openEnded: false,
        assetClass: c,
        risk: 3 + rng.int(2),
        promised: rng.range(0.045, 0.07),
        maxLeverage: 1.1,
        tierable: true,
      };
    }
    case "securities_am": {
      const pub = rng.chance(0.2);
      const c = rng.pick<AssetClass>(["fixed_income", "equity", "mixed"]);
      return {
        offering: pub ? "public" : "private",
        openEnded: pub || rng.chance(0.4),
        assetClass: c,
        risk: c === "fixed_income" ? 2 : 3 + rng.int(2),
        promised: null,
        maxLeverage: 1.6,
        tierable: true,
      };
    }
    case "futures_am":
      return {
        offering: "private",
        openEnded: false,
        assetClass: "commodity_derivative",
        risk: 4 + rng.int(2),
        promised: null,
        maxLeverage: 1.5,
        tierable: true,
      };
    case "fund_special": {
      const c = rng.pick<AssetClass>(["mixed", "equity"]);
      return {
        offering: "private",
        openEnded: rng.chance(0.4),
        assetClass: c,
        risk: 3 + rng.int(2),
        promised: null,
        maxLeverage: 1.6,
        tierable: true,
      };
    }
    case "public_fund": {
      const k = rng.int(4);
      const c: AssetClass = k <= 1 ? "fixed_income" : k === 2 ? "mixed" : "equity";
      return {
        offering: "public",
        openEnded: rng.chance(0.95),
        assetClass: c,
        risk: k + 1,
        promised: null,
        maxLeverage: 1.25,
        tierable: false,
      };
    }
    case "private_fund": {
      const c = rng.pick<AssetClass>(["equity", "equity", "mixed"]);
      return {
        offering: "private",
        openEnded: rng.chance(0.3),
        assetClass: c,
        risk: 4 + rng.int(2),
        promised: null,
        maxLeverage: 1.5,
        tierable: true,
      };
    }
    case "insurance_am":
      return {
        offering: "private",
        openEnded: rng.chance(0.4),
        assetClass: rng.chance(0.7) ? "fixed_income" : "mixed",
        risk: 2 + rng.int(2),
        promised: null,
        maxLeverage: 1.3,
        tierable: false,
      };
  }
}

const tierLimits: Record<AssetClass, number> = {
  fixed_income: 3,
  equity: 1,
  commodity_derivative: 2,
  mixed: 2,
};

/** Builds the background catalogue: products per manager, their holdings and agent filings. */
export function buildCatalogue(world: World): Catalogue {
  const rng = streamRng(world, "products");
  const products: Product[] = [];
  let seq = 0;
  const listedEnterprises = (k: number) => enterpriseCode(world, (k * 7919 + 13) % 50_000);
  const publicFunds: Product[] = [];
  const trustPlans: Product[] = [];
  for (const inst of world.institutions) {
    const types = managerTypes[inst.type];
    if (!types || inst.status === "revoked") continue;
    const count = productCount(inst, world.scale.productFactor, rng);
    if (count === 0) continue;
    const balance = ammBalanceEnd(world, inst);
    const weights = Array.from({ length: count }, () => rng.logNormal(1, 0.8, 0.05, 20));
    const wsum = weights.reduce((s, w) => s + w, 0);
    for (let j = 0; j < count; j++) {
      const type = types[rng.int(types.length)]!;
      const shape = shapeOf(type, rng);
      const net = Math.max(1e6, Math.round((balance * weights[j]!) / wsum / 100) * 100);
      const tiered = shape.tierable && shape.offering === "private" && !shape.openEnded && rng.chance(0.12);
      const lev = tiered
        ? rng.range(1, 1.35)
        : rng.range(
            1,
            shape.offering === "public" && shape.openEnded
              ? Math.min(1.3, shape.maxLeverage)
              : shape.maxLeverage,
          );
      const total = Math.round(net * lev);
      let priority = 0;
      let subordinated = 0;
      if (tiered) {
        const ratio = rng.range(shape.assetClass === "equity" ? 0.5 : 1, tierLimits[shape.assetClass] * 0.93);
        subordinated = Math.round(net / (1 + ratio));
        priority = net - subordinated;
      }
      seq++;
      const p: Product = {
        seq,
        id: productId(type, seq, inst),
        manager: inst,
        name: productName(type, inst.brand.zh, j + 1, shape.assetClass, rng),
        type,
        offering: shape.offering,
        openEnded: shape.openEnded,
        tiered,
        priority,
        subordinated,
        assetClass: shape.assetClass,
        totalAssets: total,
        netAssets: net,
        repo: Math.round((total - net) * rng.range(0.9, 1)),
        guaranteed: false,
        promisedRate: shape.promised,
        risk: shape.risk,
        filingId: filingId(seq),
        inception: world.endDay - 30 - rng.int(1500),
        holdings: [],
        planted: false,
      };
      products.push(p);
      if (type === "public_fund") publicFunds.push(p);
      if (type === "trust_plan") trustPlans.push(p);
    }
  }
  // Holdings: the assets of each product add up to its total assets.
  for (const p of products) {
    const n = 3 + rng.int(6);
    const nests = p.type !== "public_fund" && p.type !== "trust_plan" && rng.chance(0.15);
    const nestTarget = nests
      ? rng.chance(0.8) || trustPlans.length === 0
        ? pickFund(publicFunds, rng)
        : trustPlans[rng.int(trustPlans.length)]
      : undefined;
    if (nestTarget) {
      // A product holding another keeps the look-through leverage low.
      const net = p.netAssets;
      p.totalAssets = Math.round(net * rng.range(1, 1.08));
      p.repo = Math.round((p.totalAssets - net) * 0.95);
    }
    const parts = Array.from({ length: n }, () => rng.range(0.3, 1));
    const psum = parts.reduce((s, x) => s + x, 0);
    let left = p.totalAssets;
    for (let j = 0; j < n; j++) {
      const value = j === n - 1 ? left : Math.round((p.totalAssets * parts[j]!) / psum);
      left -= value;
      const h: Holding = {
        id: holdingId(p.seq, j + 1),
        kind: "bond",
        assetProduct: null,
        issuer: null,
        value,
        fixedReturn: false,
        buyBack: false,
      };
      if (j === 0 && nestTarget) {
        h.kind = "product";
        h.assetProduct = nestTarget.id;
        h.issuer = nestTarget.manager.code;
      } else backgroundHolding(world, p, h, rng, listedEnterprises);
      p.holdings.push(h);
    }
  }
  const byId = new Map(products.map((p) => [p.id, p]));
  // Agent filings: banks, securities firms and consulting firms sell others' products.
  const agentFilings: AgentFiling[] = [];
  const sellable = new Map<number, Product[]>();
  const own = new Map<number, Product[]>();
  for (const p of products)
    if (!p.planted) (own.get(p.manager.idx) ?? own.set(p.manager.idx, []).get(p.manager.idx)!).push(p);
  const forSale = products.filter((p) => !p.planted);
  const byType = (t: ProductType) => forSale.filter((p) => p.type === t);
  const pools: Partial<Record<InstitutionType, [ProductType, number, number][]>> = {
    bank: [
      ["public_fund", 10, 40],
      ["trust_plan", 3, 10],
      ["insurance_am", 2, 5],
      ["securities_am", 3, 8],
    ],
    securities_firm: [
      ["public_fund", 20, 60],
      ["private_fund", 2, 8],
    ],
    investment_consulting: [
      ["private_fund", 3, 10],
      ["public_fund", 5, 15],
    ],
  };
  for (const inst of world.institutions) {
    if (inst.status === "revoked") continue;
    const list: Product[] = [...(own.get(inst.idx) ?? [])];
    const spec = pools[inst.type];
    if (spec && (inst.type !== "bank" || (inst.tier ?? 5) <= 4)) {
      let k = 0;
      for (const [t, lo, hi] of spec) {
        const candidates = byType(t).filter((p) => p.manager !== inst);
        if (candidates.length === 0) continue;
        const want = Math.min(
          candidates.length,
          Math.max(1, Math.round(rng.between(lo, hi) * Math.max(0.3, world.scale.productFactor))),
        );
        for (const p of rng.shuffled(candidates).slice(0, want)) {
          const withdrawn = rng.chance(0.03);
          agentFilings.push({
            id: `FA${padInt(inst.idx, 5)}${padInt(++k, 4)}`,
            agent: inst,
            product: p,
            filedOn: Math.min(world.endDay - 1, p.inception + rng.int(200)),
            withdrawn,
          });
          if (!withdrawn) list.push(p);
        }
      }
    }
    if (list.length > 0) sellable.set(inst.idx, list);
  }
  return { products, byId, agentFilings, sellable, nextSeq: seq + 1 };
}

/** Adds a planted product to the catalogue. */
function addPlanted(cat: Catalogue, p: Product): void {
  cat.products.push(p);
  cat.byId.set(p.id, p);
}

function pickFund(funds: Product[], rng: Rng): Product | undefined {
  return funds.length === 0 ? undefined : funds[rng.int(funds.length)];
}

function backgroundHolding(
  world: World,
  p: Product,
  h: Holding,
  rng: Rng,
  listed: (k: number) => string,
): void {
  const banks = world.byType.bank;
  const u = rng.float();
  const enterprise = () => enterpriseCode(world, rng.int(200_000));
  if (p.assetClass === "equity" || (p.assetClass === "mixed" && u < 0.5)) {
    if (p.type === "private_fund" && rng.chance(0.6)) {
      h.kind = "equity_stake";
      h.issuer = enterprise();
    } else {
      h.kind = "stock";
      h.issuer = listed(rng.int(5000));
    }
    return;
  }
  if (p.type === "trust_plan") {
    h.kind = u < 0.6 ? "loan" : u < 0.8 ? "equity_stake" : "bond";
    h.issuer = enterprise();
    h.fixedReturn = h.kind !== "equity_stake";
    return;
  }
  if (u < 0.65) {
    h.kind = "bond";
    h.issuer = rng.chance(0.3) && banks.length > 0 ? banks[rng.int(banks.length)]!.code : enterprise();
    h.fixedReturn = true;
  } else if (u < 0.9) {
    h.kind = "deposit";
    h.issuer = banks.length > 0 ? banks[rng.int(banks.length)]!.code : null;
    h.fixedReturn = true;
  } else {
    h.kind = "bill";
    h.issuer = enterprise();
    h.fixedReturn = true;
  }
}

/** Writes products, product_holdings and product_filings for the end period. */
export function writeProducts(world: World, cat: Catalogue, out: string): WrittenFile[] {
  const period = world.endPeriod;
  const pw = new PeriodWriter(out, "products", period);
  const hw = new PeriodWriter(out, "product_holdings", period);
  const fw = new PeriodWriter(out, "product_filings", period);
  const m = (x: number) => fen(Math.round(x) * 100);
  // Planted products sit in their manager's block like any other.
  const ordered = [...cat.products].sort((a, b) => a.manager.idx - b.manager.idx || a.seq - b.seq);
  for (const p of ordered) {
    pw.add(
      `${p.id},${p.manager.code},${period},${p.name},${p.type},${p.offering},${p.openEnded},${p.tiered},${p.tiered ? m(p.priority) : ""},${p.tiered ? m(p.subordinated) : ""},${p.assetClass},${m(p.totalAssets)},${m(p.netAssets)},${m(p.repo)},${p.guaranteed},${p.promisedRate === null ? "" : p.promisedRate.toFixed(4)},R${p.risk},${p.filingId}\n`,
    );
    for (const h of p.holdings)
      hw.add(
        `${h.id},${p.manager.code},${period},${p.id},${h.kind},${h.assetProduct ?? ""},${h.issuer ?? ""},${m(h.value)},${h.fixedReturn},${h.buyBack}\n`,
      );
    fw.add(
      `${p.filingId},${p.manager.code},${period},${p.id},${p.manager.code},issuer,${isoDate(Math.min(world.endDay, p.inception))},R${p.risk},filed\n`,
    );
  }
  for (const f of cat.agentFilings)
    fw.add(
      `${f.id},${f.agent.code},${period},${f.product.id},${f.product.manager.code},agent,${isoDate(f.filedOn)},R${f.product.risk},${f.withdrawn ? "withdrawn" : "filed"}\n`,
    );
  return [...pw.close(), ...hw.close(), ...fw.close()];
}

// ---------------------------------------------------------------------------------------------------------
// Planted products.

function plantedProduct(
  world: World,
  cat: Catalogue,
  manager: Institution,
  type: ProductType,
  rng: Rng,
  over: Partial<Product>,
): Product {
  const shape = shapeOf(type, rng);
  const seq = cat.nextSeq++;
  const net = Math.round(rng.range(5e7, 2e9) / 100) * 100;
  const p: Product = {
    seq,
    id: productId(type, seq, manager),
    manager,
    name: productName(type, manager.brand.zh, 100 + (seq % 900), shape.assetClass, rng),
    type,
    offering: shape.offering,
    openEnded: shape.openEnded,
    tiered: false,
    priority: 0,
    subordinated: 0,
    assetClass: shape.assetClass,
    totalAssets: net,
    netAssets: net,
    repo: 0,
    guaranteed: false,
    promisedRate: shape.promised,
    risk: shape.risk,
    filingId: filingId(seq),
    inception: world.endDay - 60 - rng.int(600),
    holdings: [],
    planted: true,
    ...over,
  };
  return p;
}

/** Gives a planted product simple holdings adding up to its total assets (bonds and deposits). */
function fillHoldings(world: World, p: Product, rng: Rng, first?: Holding): void {
  let left = p.totalAssets;
  let j = 0;
  if (first) {
    p.holdings.push(first);
    left -= first.value;
    j = 1;
  }
  const banks = world.byType.bank;
  while (left > 0) {
    const value = j >= 3 ? left : Math.min(left, Math.round(left * rng.range(0.3, 0.6)));
    left -= value;
    j++;
    const bond = rng.chance(0.7) || banks.length === 0;
    p.holdings.push({
      id: holdingId(p.seq, j),
      kind: bond ? "bond" : "deposit",
      assetProduct: null,
      issuer: bond ? enterpriseCode(world, rng.int(200_000)) : banks[rng.int(banks.length)]!.code,
      value,
      fixedReturn: true,
      buyBack: false,
    });
  }
}

const managersFor: InstitutionType[] = [
  "bank",
  "trust",
  "securities_firm",
  "public_fund_manager",
  "private_fund_manager",
  "futures_firm",
];

/** Plans products whose total assets exceed the leverage limit of their kind. */
export function planProductLeverage(ctx: PlanContext, cat: Catalogue, rng: Rng, count: number): void {
  const world = ctx.world;
  for (let k = 0; k < count; k++) {
    const variant = k % 3;
    let p: Product | undefined;
    let limit = 1.4;
    let kind = "";
    if (variant === 0) {
      const m = ctx.pick(
        rng,
        ["bank", "public_fund_manager"],
        (i) => i.type !== "bank" || (i.tier ?? 5) <= 3,
      );
      if (!m) continue;
      p = plantedProduct(world, cat, m, m.type === "bank" ? "bank_wmp" : "public_fund", rng, {
        openEnded: true,
        offering: "public",
      });
      kind = "open-ended public product";
    } else if (variant === 1) {
      const m = ctx.pick(rng, ["securities_firm", "trust", "private_fund_manager"]);
      if (!m) continue;
      p = plantedProduct(
        world,
        cat,
        m,
        m.type === "securities_firm" ? "securities_am" : m.type === "trust" ? "trust_plan" : "private_fund",
        rng,
        { openEnded: false, offering: "private" },
      );
      limit = 2;
      kind = "closed-end or non-tiered private product";
    } else {
      const m = ctx.pick(rng, ["securities_firm", "private_fund_manager", "futures_firm"]);
      if (!m) continue;
      const type =
        m.type === "securities_firm"
          ? "securities_am"
          : m.type === "futures_firm"
            ? "futures_am"
            : "private_fund";
      p = plantedProduct(world, cat, m, type, rng, { openEnded: false, offering: "private", tiered: true });
      const ratio = rng.range(0.6, tierLimits[p.assetClass] * 0.9);
      p.subordinated = Math.round(p.netAssets / (1 + ratio));
      p.priority = p.netAssets - p.subordinated;
      kind = "tiered private product";
    }
    const lev = limit === 2 ? rng.range(2.1, 3) : rng.range(1.45, 1.9);
    p.totalAssets = Math.round(p.netAssets * lev);
    p.repo = p.totalAssets - p.netAssets;
    fillHoldings(world, p, rng);
    addPlanted(cat, p);
    ctx.touch(p.manager);
    ctx.add({
      kind: "product_leverage",
      subjectType: "product",
      subjects: [p.id],
      periods: [world.endPeriod],
      flaggedBy: [detector("product_leverage"), "rule:AMP_LEVERAGE_RATIO"],
      details: {
        manager: p.manager.code,
        productType: p.type,
        productKind: kind,
        totalAssets: p.totalAssets,
        netAssets: p.netAssets,
        leverage: Math.round((p.totalAssets / p.netAssets) * 10000) / 10000,
        limit,
      },
    });
  }
}

/** Plans chains of products holding products deeper than the one permitted layer. */
export function planProductNesting(ctx: PlanContext, cat: Catalogue, rng: Rng, count: number): void {
  const world = ctx.world;
  const chainTypes: [InstitutionType, ProductType][] = [
    ["bank", "bank_wmp"],
    ["trust", "trust_plan"],
    ["securities_firm", "securities_am"],
    ["private_fund_manager", "private_fund"],
    ["futures_firm", "futures_am"],
  ];
  for (let k = 0; k < count; k++) {
    const depth = 2 + (k % 2);
    const chain: Product[] = [];
    for (let level = 0; level <= depth; level++) {
      const [mt, pt] = chainTypes[Math.min(level + (k % 2), chainTypes.length - 1)]!;
      const m =
        ctx.pick(rng, mt, (i) => i.type !== "bank" || (i.tier ?? 5) <= 3) ??
        ctx.pick(
          rng,
          managersFor.filter((t) => t !== "public_fund_manager"),
        );
      if (!m) break;
      const type = m.type === mt ? pt : (managerTypes[m.type]?.[0] ?? "private_fund");
      chain.push(
        plantedProduct(world, cat, m, type === "public_fund" ? "fund_special" : type, rng, {
          openEnded: false,
          offering: type === "bank_wmp" ? "public" : "private",
        }),
      );
    }
    if (chain.length < 3) continue;
    // Each level invests part of its assets in the next one down.
    for (let level = chain.length - 1; level >= 0; level--) {
      const p = chain[level]!;
      p.totalAssets = Math.round(p.netAssets * rng.range(1, 1.1));
      p.repo = p.totalAssets - p.netAssets;
      const next = chain[level + 1];
      const first: Holding | undefined = next
        ? {
            id: holdingId(p.seq, 1),
            kind: "product",
            assetProduct: next.id,
            issuer: next.manager.code,
            value: Math.round(p.totalAssets * rng.range(0.3, 0.7)),
            fixedReturn: false,
            buyBack: false,
          }
        : undefined;
      fillHoldings(world, p, rng, first);
    }
    for (const p of chain) {
      addPlanted(cat, p);
      ctx.touch(p.manager);
    }
    ctx.add({
      kind: "product_nesting",
      subjectType: "product",
      subjects: chain.map((p) => p.id),
      periods: [world.endPeriod],
      flaggedBy: [detector("product_nesting"), "rule:AMP_NESTING_DEPTH"],
      details: {
        depth: chain.length - 1,
        allowedDepth: 1,
        chain: chain.map((p) => ({ product: p.id, type: p.type, manager: p.manager.code })),
        note: "subjects[0] holds subjects[1], which holds subjects[2], ...; no layer is a public securities fund",
      },
    });
  }
}

/** Plans tiered products that may not be tiered, or whose priority/subordinated ratio exceeds the limit. */
export function planProductTiering(ctx: PlanContext, cat: Catalogue, rng: Rng, count: number): void {
  const world = ctx.world;
  for (let k = 0; k < count; k++) {
    const variant = k % 3;
    const m = ctx.pick(
      rng,
      variant === 0 ? ["securities_firm", "bank"] : ["securities_firm", "private_fund_manager", "trust"],
      (i) => i.type !== "bank" || (i.tier ?? 5) <= 3,
    );
    if (!m) continue;
    const type: ProductType =
      m.type === "bank"
        ? "bank_wmp"
        : m.type === "trust"
          ? "trust_plan"
          : m.type === "securities_firm"
            ? "securities_am"
            : "private_fund";
    const p = plantedProduct(world, cat, m, type, rng, {});
    p.tiered = true;
    let limit: number | null = null;
    let problem: string;
    let ratio: number;
    if (variant === 0) {
      p.offering = "public";
      p.openEnded = rng.chance(0.5);
      ratio = rng.range(1, 2);
      problem = "public product tiered";
    } else if (variant === 1) {
      p.offering = "private";
      p.openEnded = true;
      ratio = rng.range(1, 2);
      problem = "open-ended private product tiered";
    } else {
      p.offering = "private";
      p.openEnded = false;
      limit = tierLimits[p.assetClass];
      ratio = limit * rng.range(1.2, 1.9);
      problem = `tiering ratio above ${limit}:1 for ${p.assetClass}`;
    }
    p.subordinated = Math.round(p.netAssets / (1 + ratio));
    p.priority = p.netAssets - p.subordinated;
    p.totalAssets = Math.round(p.netAssets * rng.range(1, 1.2));
    p.repo = p.totalAssets - p.netAssets;
    fillHoldings(world, p, rng);
    addPlanted(cat, p);
    ctx.touch(m);
    ctx.add({
      kind: "product_tiering",
      subjectType: "product",
      subjects: [p.id],
      periods: [world.endPeriod],
      flaggedBy: [detector("product_tiering"), ...(limit !== null ? ["rule:AMP_TIERING_RATIO"] : [])],
      details: {
        manager: m.code,
        productType: p.type,
        offering: p.offering,
        openEnded: p.openEnded,
        assetClass: p.assetClass,
        problem,
        tieringRatio: Math.round((p.priority / p.subordinated) * 1000) / 1000,
        limit,
      },
    });
  }
}

/** Plans equity stakes with a fixed return and a buy-back: debt dressed as equity (名股实债). */
export function planDisguisedDebt(ctx: PlanContext, cat: Catalogue, rng: Rng, count: number): void {
  const world = ctx.world;
  for (let k = 0; k < count; k++) {
    const m = ctx.pick(rng, ["trust", "private_fund_manager", "securities_firm"]);
    if (!m) continue;
    const type: ProductType =
      m.type === "trust" ? "trust_plan" : m.type === "securities_firm" ? "securities_am" : "private_fund";
    const p = plantedProduct(world, cat, m, type, rng, {
      openEnded: false,
      offering: "private",
      assetClass: "mixed",
    });
    const investee = ctx.newEnterprise();
    const code = enterpriseCode(world, investee);
    const value = Math.round(p.totalAssets * rng.range(0.4, 0.8));
    const stake: Holding = {
      id: holdingId(p.seq, 1),
      kind: "equity_stake",
      assetProduct: null,
      issuer: code,
      value,
      fixedReturn: true,
      buyBack: true,
    };
    fillHoldings(world, p, rng, stake);
    addPlanted(cat, p);
    ctx.touch(m);
    ctx.add({
      kind: "disguised_debt",
      subjectType: "holding",
      subjects: [stake.id],
      periods: [world.endPeriod],
      flaggedBy: [detector("disguised_debt")],
      details: {
        manager: m.code,
        product: p.id,
        investee: code,
        investeeKind: rng.chance(0.5) ? "property developer" : "LGFV",
        marketValue: value,
        fixedAnnualReturn: Math.round(rng.range(0.075, 0.12) * 10000) / 10000,
        buyBackYears: 1 + rng.int(3),
      },
    });
  }
}
