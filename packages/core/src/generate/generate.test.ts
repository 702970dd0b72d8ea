import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Column } from "../contract/columns.ts";
import { type Dataset, datasetsByName } from "../contract/datasets.ts";
import { isValidCreditCode, isValidResidentId } from "../contract/identifiers.ts";
import { type InstitutionType, institutionTypeCodes } from "../contract/institution-types.ts";
import { findItem, itemConsistencyChecks } from "../contract/items.ts";
import { openDuck } from "../lake/duckdb.ts";
import { generate } from "./generate.ts";
import { trueAnnualRate } from "./irr.ts";
import type { Truth } from "./truth.ts";

// One tiny province generated twice: in this thread, and on two worker threads.
let inline = "";
let threaded = "";

beforeAll(async () => {
  inline = mkdtempSync(join(tmpdir(), "beacon-gen-a-"));
  threaded = mkdtempSync(join(tmpdir(), "beacon-gen-b-"));
  await generate({ scale: "tiny", seed: 11, out: inline, threads: 1 });
  await generate({ scale: "tiny", seed: 11, out: threaded, threads: 2 });
});

afterAll(() => {
  for (const d of [inline, threaded]) if (d) rmSync(d, { recursive: true, force: true });
});

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** The day before an ISO date. */
const dayBefore = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** First and last day of a period (YYYY-MM or YYYY-Qn). */
function periodDays(p: string): [string, string] {
  const y = Number(p.slice(0, 4));
  const [m0, m1] = p.includes("Q")
    ? [(Number(p[6]) - 1) * 3 + 1, (Number(p[6]) - 1) * 3 + 3]
    : [Number(p.slice(5, 7)), Number(p.slice(5, 7))];
  const last = new Date(Date.UTC(y, m1, 0)).toISOString().slice(0, 10);
  return [`${y}-${String(m0).padStart(2, "0")}-01`, last];
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

interface Table {
  dataset: Dataset;
  rows: { file: string; period: string | null; record: Record<string, string> }[];
}

const parsed = new Map<string, Map<string, Table>>();

/** Every CSV of the output, parsed, by dataset (parsed once per folder). */
function readAll(dir: string): Map<string, Table> {
  const cached = parsed.get(dir);
  if (cached) return cached;
  const out = new Map<string, Table>();
  for (const f of files(dir).filter((x) => x.endsWith(".csv"))) {
    const name = f.includes("/") ? f.split("/")[0]! : f.replace(/\.csv$/, "");
    const dataset = datasetsByName.get(name);
    if (!dataset) throw new Error(`file ${f} is not a dataset`);
    const records = parse(readFileSync(join(dir, f)), { columns: true, bom: false }) as Record<
      string,
      string
    >[];
    const header = readFileSync(join(dir, f), "utf8").split("\n")[0];
    expect(header, f).toBe(dataset.columns.map((c) => c.name).join(","));
    const period = f.includes("/") ? f.split("/")[1]!.replace(/(-part-\d{4})?\.csv$/, "") : null;
    const table = out.get(name) ?? { dataset, rows: [] };
    for (const r of records) table.rows.push({ file: f, period, record: r });
    out.set(name, table);
  }
  parsed.set(dir, out);
  return out;
}

const decimalPattern = (scale: number) => new RegExp(`^-?[0-9]{1,${38 - scale}}(\\.[0-9]{1,${scale}})?$`);
const realDate = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/** Why a value breaks its column's type, or undefined. */
function typeProblem(c: Column, v: string): string | undefined {
  const t = c.type;
  switch (t.kind) {
    case "string":
      if (t.maxLength && v.length > t.maxLength) return "too long";
      if (t.pattern && !new RegExp(t.pattern).test(v)) return "pattern";
      return undefined;
    case "text":
      return t.maxLength && v.length > t.maxLength ? "too long" : undefined;
    case "decimal":
      if (t.grades?.includes(v)) return undefined;
      if (!decimalPattern(t.scale).test(v)) return "decimal";
      if (t.min !== undefined && Number(v) < Number(t.min)) return "below min";
      if (t.max !== undefined && Number(v) > Number(t.max)) return "above max";
      return undefined;
    case "integer":
      if (!/^-?[0-9]{1,18}$/.test(v)) return "integer";
      if (t.min !== undefined && Number(v) < t.min) return "below min";
      if (t.max !== undefined && Number(v) > t.max) return "above max";
      return undefined;
    case "date":
      return realDate(v) ? undefined : "date";
    case "period":
      return /^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$/.test(v) ? undefined : "period";
    case "boolean":
      return v === "true" || v === "false" ? undefined : "boolean";
    case "enum":
      return t.values.includes(v) ? undefined : "enum";
    case "credit_code":
      return isValidCreditCode(v) ? undefined : "credit code";
    case "personal_id":
      switch (t.idKind) {
        case "resident_id":
          return isValidResidentId(v) ? undefined : "resident id";
        case "phone":
          return /^1[3-9][0-9]{9}$/.test(v) ? undefined : "phone";
        case "bank_card":
          return /^[0-9]{12,19}$/.test(v) ? undefined : "bank card";
        case "address":
          return v.length >= 4 && v.length <= 200 ? undefined : "address";
        case "vehicle":
          return /^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/.test(v) ? undefined : "vehicle";
        default:
          return /^[A-Za-z0-9_.:-]{1,64}$/.test(v) ? undefined : "reference";
      }
  }
}

describe("generate (tiny scale)", () => {
  test("the same seed gives byte-identical files, in one thread or two", () => {
    const a = files(inline);
    expect(a).toEqual(files(threaded));
    expect(a.length).toBeGreaterThan(50);
    for (const f of a) expect(sha(join(threaded, f)), f).toBe(sha(join(inline, f)));
  });

  test("every dataset of the contract is written, with monthly returns and quarterly ones at quarter ends", () => {
    const names = new Set(
      files(inline).map((f) => (f.includes("/") ? f.split("/")[0]! : f.replace(/\..*$/, ""))),
    );
    for (const d of datasetsByName.keys()) expect(names.has(d), d).toBe(true);
    const returns = readdirSync(join(inline, "returns"));
    expect(returns).toContain("2026-09.csv");
    expect(returns).toContain("2026-Q3.csv");
    expect(returns).not.toContain("2026-Q4.csv");
  });

  test("every row has the contract's columns, valid ids and values within the column types", () => {
    const tables = readAll(inline);
    const problems: string[] = [];
    for (const { dataset, rows } of tables.values()) {
      for (const { file, period, record } of rows) {
        if (Object.keys(record).length !== dataset.columns.length)
          problems.push(`${file}: wrong column count`);
        for (const c of dataset.columns) {
          const v = record[c.name] ?? "";
          if (v === "") {
            if (c.required) problems.push(`${file}: ${c.name} empty`);
            continue;
          }
          // A return's value is a grade exactly when its item's unit is grade.
          if (
            dataset.name === "returns" &&
            c.name === "value" &&
            c.type.kind === "decimal" &&
            (record.unit === "grade") !== (c.type.grades ?? []).includes(v)
          )
            problems.push(`${file}: value=${v} for a ${record.unit} item`);
          const p = typeProblem(c, v);
          if (p) problems.push(`${file}: ${c.name}=${v} (${p})`);
        }
        if (period !== null && "period" in record && record.period !== period)
          problems.push(`${file}: period ${record.period}`);
        for (const rule of dataset.crossField) {
          const get = (k: string) => record[k] ?? "";
          if (
            rule.kind === "lte" &&
            get(rule.left) &&
            get(rule.right) &&
            Number(get(rule.left)) > Number(get(rule.right))
          )
            problems.push(`${file}: ${rule.message}`);
          if (rule.kind === "date_after" && get(rule.later) && get(rule.earlier)) {
            const later = get(rule.later);
            const earlier = get(rule.earlier);
            if (rule.allowEqual ? later < earlier : later <= earlier)
              problems.push(`${file}: ${rule.message}`);
          }
          const when = (w: { column: string; equals: string }) =>
            w.equals === "*"
              ? get(w.column) !== ""
              : w.equals.startsWith("!")
                ? get(w.column) !== w.equals.slice(1)
                : get(w.column) === w.equals;
          if (rule.kind === "required_when" && when(rule.when) && !get(rule.column))
            problems.push(`${file}: ${rule.message}`);
          if (rule.kind === "forbidden_when" && when(rule.when) && get(rule.column))
            problems.push(`${file}: ${rule.message}`);
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  test("primary keys are unique, references resolve and reporters have the right type", () => {
    const tables = readAll(inline);
    const registry = new Map(
      tables.get("institutions")!.rows.map((r) => [r.record.code!, r.record.type as InstitutionType]),
    );
    expect(registry.size).toBeGreaterThanOrEqual(40);
    for (const t of institutionTypeCodes) expect([...registry.values()], t).toContain(t);
    const problems: string[] = [];
    for (const { dataset, rows } of tables.values()) {
      const keys = new Set<string>();
      for (const { file, record } of rows) {
        const key = dataset.primaryKey.map((k) => record[k]).join("|");
        if (keys.has(key)) problems.push(`${file}: duplicate key ${key}`);
        keys.add(key);
        for (const c of dataset.columns) {
          const v = record[c.name];
          if (c.references === "institution" && v && !registry.has(v))
            problems.push(`${file}: ${c.name} ${v} not registered`);
        }
        if (dataset.reporter) {
          const type = registry.get(record[dataset.reporter]!);
          if (!type || !dataset.reporterTypes.includes(type))
            problems.push(`${file}: reporter type ${type} not allowed`);
        }
      }
    }
    // Intake's licence windows: issued_on to expires_on, or to the day before a revocation or expiry took effect.
    const windows = new Map<string, [string, string][]>();
    for (const { record: l } of tables.get("licences")!.rows) {
      const to =
        l.status === "active"
          ? l.expires_on || "9999-12-31"
          : [l.expires_on, dayBefore(l.status_since!)].filter(Boolean).sort()[0]!;
      const key = `${l.institution_code}|${l.kind}`;
      windows.set(key, [...(windows.get(key) ?? []), [l.issued_on!, to]]);
    }
    for (const { dataset, rows } of tables.values()) {
      if (!dataset.reporter || !dataset.columns.some((c) => c.name === "period")) continue;
      for (const { file, record } of rows) {
        const code = record[dataset.reporter]!;
        const type = registry.get(code)!;
        if (type === "supervisory_office") continue;
        const [from, to] = periodDays(record.period!);
        if (!(windows.get(`${code}|${type}`) ?? []).some(([a, b]) => a <= to && b >= from))
          problems.push(`${file}: ${code} (${type}) holds no licence covering ${record.period}`);
      }
    }
    const ids = (d: string, col: string) => new Set(tables.get(d)!.rows.map((r) => r.record[col]!));
    const loanIds = ids("loans", "loan_id");
    for (const g of tables.get("guarantees")!.rows)
      if (g.record.loan_id && !loanIds.has(g.record.loan_id))
        problems.push(`guarantee loan ${g.record.loan_id} missing`);
    const policyIds = ids("policies", "policy_id");
    for (const c of tables.get("claims")!.rows)
      if (!policyIds.has(c.record.policy_id!)) problems.push(`claim policy ${c.record.policy_id} missing`);
    const products = ids("products", "product_id");
    for (const h of tables.get("product_holdings")!.rows) {
      if (!products.has(h.record.product_id!))
        problems.push(`holding of unknown product ${h.record.product_id}`);
      if (h.record.asset_product_id && !products.has(h.record.asset_product_id))
        problems.push(`held product missing`);
    }
    const bills = ids("bills", "bill_id");
    for (const e of tables.get("bill_endorsements")!.rows)
      if (!bills.has(e.record.bill_id!)) problems.push(`endorsement of unknown bill ${e.record.bill_id}`);
    const listings = ids("venue_listings", "listing_id");
    for (const d of ["venue_trades", "venue_holdings"])
      for (const r of tables.get(d)!.rows)
        if (!listings.has(r.record.listing_id!)) problems.push(`${d}: unknown listing`);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  test("returns carry dictionary units and pass the item consistency checks", () => {
    const rows = readAll(inline).get("returns")!.rows;
    const byEntity = new Map<string, Map<string, number>>();
    for (const { record } of rows) {
      const def = findItem(record.item!);
      expect(def, record.item).toBeDefined();
      expect(record.unit).toBe(def!.unit);
      const key = `${record.institution_code}|${record.period}`;
      const m = byEntity.get(key) ?? new Map<string, number>();
      m.set(record.item!, Number(record.value));
      byEntity.set(key, m);
    }
    let checked = 0;
    for (const [key, m] of byEntity) {
      for (const c of itemConsistencyChecks) {
        if (!c.lhs.every((k) => m.has(k)) || !m.has(c.rhs)) continue;
        const lhs = c.lhs.reduce((s, k) => s + m.get(k)!, 0);
        const rhs = m.get(c.rhs)!;
        const tol = Math.max(Number(c.tolerance.absolute), Number(c.tolerance.relative) * Math.abs(rhs));
        if (c.relation === "eq") expect(Math.abs(lhs - rhs), `${key} ${c.id}`).toBeLessThanOrEqual(tol);
        else expect(lhs, `${key} ${c.id}`).toBeLessThanOrEqual(rhs + tol);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test("truth.json lists every kind of plant, each found in the data, and clean institutions", () => {
    const truth = JSON.parse(readFileSync(join(inline, "truth.json"), "utf8")) as Truth;
    expect(truth.seed).toBe(11);
    expect(truth.scale).toBe("tiny");
    expect(truth.periods).toContain("2026-09");
    expect(truth.periods).toContain("2026-Q3");
    const kinds = new Set(truth.plants.map((p) => p.kind));
    for (const k of [
      "bank_failure",
      "return_breach",
      "product_leverage",
      "product_nesting",
      "product_tiering",
      "disguised_debt",
      "guarantee_circle",
      "multiple_loans",
      "hidden_fee_rate",
      "suitability_breach",
      "unrecorded_sale",
      "flying_order",
      "claim_ring",
      "surrender_wave",
      "venue_violation",
      "fundraising_company",
      "bill_arbitrage",
      "circular_endorsement",
      "maturity_wall",
      "late_disclosure",
      "online_loan_cap",
    ])
      expect(kinds.has(k as never), k).toBe(true);
    const tables = readAll(inline);
    const values = (d: string, ...cols: string[]) =>
      new Set(tables.get(d)!.rows.flatMap((r) => cols.map((c) => r.record[c]!)));
    const where: Record<string, Set<string>> = {
      institution: values("institutions", "code"),
      loan: values("loans", "loan_id"),
      product: values("products", "product_id"),
      holding: values("product_holdings", "holding_id"),
      sale: values("sales", "sale_id"),
      listing: values("venue_listings", "listing_id"),
      bill: values("bills", "bill_id"),
      person: new Set([...values("loans", "borrower_id"), ...values("claims", "claimant_id")]),
      enterprise: new Set([
        ...values("guarantees", "guarantor_code", "guaranteed_code"),
        ...values("bond_maturities", "issuer_code"),
        ...values("bill_endorsements", "endorser_code", "endorsee_code"),
        ...values("disclosures", "company_code"),
      ]),
    };
    for (const p of truth.plants) {
      expect(p.subjects.length, p.kind).toBeGreaterThan(0);
      expect(p.flaggedBy.length, p.kind).toBeGreaterThan(0);
      for (const s of p.subjects)
        expect(where[p.subjectType]!.has(s), `${p.kind} ${p.subjectType} ${s}`).toBe(true);
      for (const period of p.periods) expect(truth.periods, p.kind).toContain(period);
    }
    expect(truth.clean.length).toBeGreaterThan(0);
    const planted = new Set(truth.plants.flatMap((p) => p.subjects));
    const mentioned = JSON.stringify(truth.plants);
    for (const c of truth.clean) {
      expect(where.institution!.has(c)).toBe(true);
      expect(planted.has(c)).toBe(false);
      expect(mentioned.includes(c), `clean ${c} appears in a plant`).toBe(false);
    }
  });

  test("loans: planted signals show in the rows, the background stays clear of them", () => {
    const truth = JSON.parse(readFileSync(join(inline, "truth.json"), "utf8")) as Truth;
    const loans = readAll(inline)
      .get("loans")!
      .rows.map((r) => r.record);
    const plantedPeople = new Set(
      truth.plants.filter((p) => p.subjectType === "person").flatMap((p) => p.subjects),
    );
    const hidden = new Set(
      truth.plants.filter((p) => p.kind === "hidden_fee_rate").flatMap((p) => p.subjects),
    );
    const lenders = new Map<string, Set<string>>();
    for (const l of loans) {
      if (l.borrower_type !== "individual") continue;
      const set = lenders.get(l.borrower_id!) ?? new Set<string>();
      set.add(l.lender_code!);
      lenders.set(l.borrower_id!, set);
    }
    for (const p of truth.plants.filter((x) => x.kind === "multiple_loans"))
      expect(lenders.get(p.subjects[0]!)!.size).toBeGreaterThanOrEqual(5);
    for (const [person, set] of lenders)
      if (!plantedPeople.has(person)) expect(set.size, person).toBeLessThanOrEqual(3);
    // Online caps: the people over RMB 300k or a third of income at one online lender are exactly those planted.
    const online = new Set(
      readAll(inline)
        .get("institutions")!
        .rows.filter((r) => r.record.type === "online_small_loan")
        .map((r) => r.record.code!),
    );
    const balances = new Map<string, { balance: number; income: number }>();
    for (const l of loans) {
      if (l.borrower_type !== "individual" || !online.has(l.lender_code!)) continue;
      const key = `${l.borrower_id}|${l.lender_code}`;
      const b = balances.get(key) ?? { balance: 0, income: 0 };
      b.balance += Number(l.outstanding);
      b.income = Math.max(b.income, Number(l.borrower_annual_income || 0));
      balances.set(key, b);
    }
    const over = new Set(
      [...balances]
        .filter(([, b]) => b.balance > 300_000 || (b.income > 0 && b.balance > b.income / 3))
        .map(([k]) => k.split("|")[0]!),
    );
    const cap = truth.plants.filter(
      (p) => p.subjectType === "person" && p.flaggedBy.includes("detector:online_loan_cap"),
    );
    expect(cap.length).toBeGreaterThan(0);
    expect([...over].sort()).toEqual([...new Set(cap.flatMap((p) => p.subjects))].sort());
    for (const l of loans) {
      const terms = {
        principal: Number(l.principal),
        nominalRate: Number(l.nominal_rate),
        termMonths: Number(l.term_months),
        method: l.repayment_method as "bullet",
        upfrontFee: Number(l.upfront_fee),
        periodicFee: Number(l.periodic_fee),
        otherFees: Number(l.other_fees),
      };
      const rate = trueAnnualRate(terms).annual;
      if (hidden.has(l.loan_id!)) expect(rate).toBeGreaterThan(0.24);
      else expect(rate, l.loan_id).toBeLessThan(0.24);
      expect(Number(l.nominal_rate)).toBeLessThan(0.24);
    }
  });

  test("parquet output has the same layout and rows, all VARCHAR, empty fields as NULL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "beacon-gen-pq-"));
    try {
      await generate({ scale: "tiny", seed: 11, out: dir, threads: 1, format: "parquet" });
      const csv = files(inline).filter((f) => f.endsWith(".csv"));
      const pq = files(dir).filter((f) => f.endsWith(".parquet"));
      expect(pq).toEqual(csv.map((f) => f.replace(/\.csv$/, ".parquet")));
      expect(sha(join(dir, "truth.json"))).toBe(sha(join(inline, "truth.json")));
      const duck = await openDuck({ threads: 1 });
      try {
        for (const f of ["loans/2026-09", "institutions", "returns/2026-Q3"]) {
          const [n] = await duck.all<{ n: bigint }>(
            `SELECT count(*) AS n FROM '${join(dir, `${f}.parquet`)}'`,
          );
          const lines =
            readFileSync(join(inline, `${f}.csv`), "utf8")
              .trimEnd()
              .split("\n").length - 1;
          expect(Number(n!.n), f).toBe(lines);
        }
        const types = await duck.all<{ column_type: string }>(
          `DESCRIBE SELECT * FROM '${join(dir, "loans/2026-09.parquet")}'`,
        );
        expect(new Set(types.map((t) => t.column_type))).toEqual(new Set(["VARCHAR"]));
        const [nulls] = await duck.all<{ n: bigint }>(
          `SELECT count(*) AS n FROM '${join(dir, "loans/2026-09.parquet")}' WHERE borrower_type = 'enterprise' AND borrower_id IS NULL`,
        );
        expect(Number(nulls!.n)).toBeGreaterThan(0);
      } finally {
        duck.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the guarantee graph has cycles only where circles were planted", () => {
    const truth = JSON.parse(readFileSync(join(inline, "truth.json"), "utf8")) as Truth;
    const edges = readAll(inline)
      .get("guarantees")!
      .rows.map((r) => [r.record.guarantor_code!, r.record.guaranteed_code!] as const);
    const next = new Map<string, string[]>();
    for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
    // Nodes on a cycle: those that can reach themselves.
    const onCycle = new Set<string>();
    for (const start of next.keys()) {
      const seen = new Set<string>();
      const stack = [...(next.get(start) ?? [])];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n === start) {
          onCycle.add(start);
          break;
        }
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(...(next.get(n) ?? []));
      }
    }
    const planted = new Set(
      truth.plants.filter((p) => p.kind === "guarantee_circle").flatMap((p) => p.subjects),
    );
    expect([...onCycle].sort()).toEqual([...planted].sort());
  });
});
