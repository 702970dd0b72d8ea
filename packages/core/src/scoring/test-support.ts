/**
 * Test support for scoring: a small province of banks with seeded noise, one or more of them sliding towards
 * failure, a three-rule catalog (CAR with its buffer line, NPL, liquidity), and a direct loader of returns into
 * the system of record (these tests are about scoring, not intake).
 */
import type { Fact } from "../contract/items.ts";
import type { Sql } from "../db/client.ts";
import { defineCatalog, type RuleCatalog } from "../rules/catalog.ts";
import { decimalParam, defineParams } from "../rules/params.ts";
import { thresholdRule } from "../rules/threshold-rule.ts";
import type { LegalBasis } from "../rules/types.ts";
import { testCreditCode } from "../testing/fixtures.ts";
import { monthRange } from "./months.ts";
import type { PanelInstitution } from "./panel.ts";

const basis: LegalBasis = {
  document: { en: "Test Measures", zh: "测试办法" },
  issuer: { en: "Test Issuer", zh: "测试机关" },
  year: 2020,
  sources: ["S0"],
  status: "S",
};
const header = {
  version: 1,
  family: "test",
  severity: "high",
  appliesTo: { types: ["bank"] },
  effective: { from: "2000-01-01" },
  legalBasis: [basis],
  leadUnit: "cbrc_cq",
} as const;

/** CAR ≥ 8% (warning line 10.5%), NPL ≤ 5%, liquidity ratio ≥ 25%. */
export const testCatalog: RuleCatalog = defineCatalog(
  "test",
  [
    thresholdRule({
      ...header,
      id: "test.car",
      zh: "资本充足率",
      en: "Capital adequacy ratio",
      params: defineParams({
        minimum: decimalParam("0.08", { status: "confirmed", en: "Minimum", zh: "最低要求" }),
        buffer: decimalParam("0.105", { status: "confirmed", en: "With buffers", zh: "含缓冲" }),
      }),
      metric: "BANK_CAR",
      comparator: ">=",
      regulatory: "minimum",
      warning: "buffer",
    }),
    thresholdRule({
      ...header,
      id: "test.npl",
      zh: "不良贷款率",
      en: "NPL ratio",
      params: defineParams({
        maximum: decimalParam("0.05", { status: "confirmed", en: "Maximum", zh: "上限" }),
      }),
      metric: "BANK_NPL_RATIO",
      comparator: "<=",
      regulatory: "maximum",
    }),
    thresholdRule({
      ...header,
      id: "test.liquidity",
      zh: "流动性比例",
      en: "Liquidity ratio",
      params: defineParams({
        minimum: decimalParam("0.25", { status: "confirmed", en: "Minimum", zh: "最低要求" }),
      }),
      metric: "BANK_LIQUIDITY_RATIO",
      comparator: ">=",
      regulatory: "minimum",
    }),
  ],
  [],
);

export interface SyntheticOptions {
  banks: number;
  from: string;
  to: string;
  seed: number;
  /** Banks (by index) that slide from `start` to `end` (months, inclusive) to the failing values. */
  failing?: { bank: number; start: string; end: string }[];
  /** Months (per bank index) with no return at all. */
  gaps?: { bank: number; month: string }[];
}

/** A deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const money = (x: number) => x.toFixed(2);

/** Registry rows and monthly returns (capital items at quarter ends only, as banks report them). */
export function syntheticBanks(o: SyntheticOptions): { registry: PanelInstitution[]; facts: Fact[] } {
  const rand = rng(o.seed);
  const months = monthRange(o.from, o.to);
  const registry: PanelInstitution[] = [];
  const facts: Fact[] = [];
  for (let b = 0; b < o.banks; b++) {
    const code = testCreditCode(100 + b);
    const size = 5e9 * (1 + 10 * rand());
    registry.push({
      code,
      type: "bank",
      sector: "banking",
      district: b % 2 === 0 ? "渝中区" : "江北区",
      nameZh: `测试银行${b}`,
      nameEn: `Test Bank ${b}`,
      bankTier: 3,
      totalAssets: size,
      status: "active",
    });
    const base = {
      car: 0.125 + 0.035 * rand(),
      npl: 0.008 + 0.015 * rand(),
      liq: 0.45 + 0.3 * rand(),
      dep: 0.65 + 0.1 * rand(),
    };
    const fail = o.failing?.find((f) => f.bank === b);
    months.forEach((m, mi) => {
      if (o.gaps?.some((g) => g.bank === b && g.month === m)) return;
      let p = 0;
      if (fail) {
        const s = months.indexOf(fail.start);
        const e = months.indexOf(fail.end);
        p = mi < s ? 0 : mi >= e ? 1 : (mi - s) / (e - s);
      }
      const noise = () => 1 + 0.01 * (rand() - 0.5);
      const ta = size * (1 + 0.004 * mi) * noise();
      const car = (base.car + (0.04 - base.car) * p) * noise();
      const npl = (base.npl + (0.15 - base.npl) * p ** 1.3) * noise();
      const liq = (base.liq + (0.15 - base.liq) * p) * noise();
      const loans = ta * 0.55;
      const sub = loans * npl * 0.5;
      const dbt = loans * npl * 0.3;
      const loss = loans * npl * 0.2;
      const sm = loans * 0.02;
      const liquidLiab = ta * 0.3;
      const add = (item: string, value: string, period = m) =>
        facts.push({ institution: code, period, item, value });
      add("BANK_TOTAL_ASSETS", money(ta));
      add("BANK_TOTAL_LIABILITIES", money(ta * 0.92));
      add("BANK_DEPOSITS", money(ta * base.dep * (1 - 0.3 * p * p)));
      add("BANK_LOANS_NORMAL", money(loans - sub - dbt - loss - sm));
      add("BANK_LOANS_SPECIAL_MENTION", money(sm));
      add("BANK_LOANS_SUBSTANDARD", money(sub));
      add("BANK_LOANS_DOUBTFUL", money(dbt));
      add("BANK_LOANS_LOSS", money(loss));
      add("BANK_LOANS_TOTAL", money(loans));
      add("BANK_LOAN_LOSS_RESERVES", money(loans * npl * (2 - 1.2 * p)));
      add("BANK_LIQUID_ASSETS", money(liquidLiab * liq));
      add("BANK_LIQUID_LIABILITIES", money(liquidLiab));
      add("GEN_FILINGS_DUE", "1");
      add("GEN_FILINGS_LATE", "0");
      add("GEN_COMPLAINTS", String(Math.floor(3 + 4 * rand())));
      if (Number(m.slice(5, 7)) % 3 === 0) {
        const rwa = ta * 0.6;
        const q = `${m.slice(0, 4)}-Q${Number(m.slice(5, 7)) / 3}`;
        add("BANK_RWA", money(rwa), q);
        add("BANK_TOTAL_CAPITAL", money(rwa * car + rwa * 0.002), q);
        add("BANK_TOTAL_CAPITAL_DEDUCTIONS", money(rwa * 0.002), q);
      }
    });
  }
  return { registry, facts };
}

/** Writes registry rows and returns straight into the tables (one submission per institution and period). */
export async function insertReturns(
  db: Sql,
  registry: readonly PanelInstitution[],
  facts: readonly Fact[],
): Promise<void> {
  await db.query(
    `insert into institutions (code, name_zh, name_en, type, sector, district, bank_tier, total_assets, status)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::numeric[], $9::text[])
     on conflict (code) do nothing`,
    [
      registry.map((r) => r.code),
      registry.map((r) => r.nameZh),
      registry.map((r) => r.nameEn),
      registry.map((r) => r.type),
      registry.map((r) => r.sector),
      registry.map((r) => r.district),
      registry.map((r) => r.bankTier ?? null),
      registry.map((r) => (r.totalAssets === undefined ? null : r.totalAssets.toFixed(2))),
      registry.map((r) => r.status),
    ],
  );
  const [batch] = await db.query<{ id: string }>(
    "insert into batches (dataset, source_name, file_checksum, row_count) values ('returns', 'test', 'test', $1) returning id::text",
    [facts.length],
  );
  const groups = new Map<string, Fact[]>();
  for (const f of facts) {
    const k = `${f.institution}|${f.period}`;
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  const keys = [...groups.keys()];
  const subs = await db.query<{ id: string; i: string; p: string }>(
    `insert into submissions (batch_id, institution_code, dataset, period, row_count, content_hash, received_at)
     select $1, u.i, 'returns', u.p, u.n, 'test', now() from unnest($2::text[], $3::text[], $4::bigint[]) as u(i, p, n)
     returning id::text, trim(institution_code) as i, period as p`,
    [
      batch!.id,
      keys.map((k) => k.split("|")[0]),
      keys.map((k) => k.split("|")[1]),
      keys.map((k) => groups.get(k)!.length),
    ],
  );
  const subOf = new Map(subs.map((s) => [`${s.i}|${s.p}`, s.id]));
  for (let i = 0; i < facts.length; i += 20_000) {
    const c = facts.slice(i, i + 20_000);
    await db.query(
      // A letter grade (INS_IRR_GRADE) goes to the grade column, as intake stores it.
      `insert into facts (submission_id, institution_code, period, item, value, grade, unit)
       select u.s, u.i, u.p, u.t, case when u.v ~ '^-?[0-9.]+$' then u.v::numeric end,
              case when u.v !~ '^-?[0-9.]+$' then u.v end, u.u
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as u(s, i, p, t, v, u)`,
      [
        c.map((f) => subOf.get(`${f.institution}|${f.period}`)),
        c.map((f) => f.institution),
        c.map((f) => f.period),
        c.map((f) => f.item),
        c.map((f) => String(f.value)),
        c.map((f) =>
          /^-?[0-9.]+$/.test(String(f.value)) ? (f.item.startsWith("GEN_") ? "count" : "CNY") : "grade",
        ),
      ],
    );
  }
}
