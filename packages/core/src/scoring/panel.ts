/**
 * The panel: every institution's returns over a run of months, held as arrays so that a whole province's history
 * scores in seconds. It carries the rule engine's entity inputs (one per institution and month with facts; a
 * quarterly return joins the month that closes it) and a float matrix of the items that indicators and monitored
 * series read. Facts an institution's type does not report, or values its item does not accept, are dropped and
 * counted: one bad fact must not stop a province from being scored.
 */
import type { BankTier, InstitutionType } from "../contract/institution-types.ts";
import {
  checkItemValue,
  type Fact,
  type ItemCode,
  itemDictionary,
  periodMonth,
  totalAssetsItemByType,
} from "../contract/items.ts";
import type { Sql } from "../db/client.ts";
import type { EntityInput } from "../rules/context.ts";
import { indicatorItems } from "./indicators.ts";
import { monthIndex, monthLabelOf, monthRange, periodLabelsFor } from "./months.ts";

export interface PanelInstitution {
  code: string;
  type: InstitutionType;
  sector: string;
  district: string;
  nameZh: string;
  nameEn: string;
  bankTier?: BankTier;
  /** Registry total assets (CNY), when known. */
  totalAssets?: number;
  status: string;
  /** Month from which the institution counts as failed (rating grade D), when known. */
  failedFrom?: string;
}

export interface Panel {
  /** Contiguous months, oldest first. */
  months: string[];
  institutions: PanelInstitution[];
  /** Rule-engine inputs, one per institution-month with facts. */
  entities: EntityInput[];
  entityInst: Int32Array;
  entityMonth: Int32Array;
  /** Entity index at [institution × months.length + month], or −1. */
  entityAt: Int32Array;
  /** The items held as floats, in column order of `values`. */
  items: readonly ItemCode[];
  /** [entity × items.length + column]; NaN when not reported. */
  values: Float64Array;
  /** Facts dropped as not reportable by the type or malformed, per institution code. */
  dropped: Map<string, number>;
}

/** Items the panel keeps as floats: indicator inputs and monitored return series. */
export const panelItems: readonly ItemCode[] = [
  ...new Set<ItemCode>([
    ...indicatorItems(),
    "GEN_COMPLAINTS",
    "GEN_FILINGS_DUE",
    "GEN_FILINGS_LATE",
    "INS_SURRENDERS",
    "INS_MATURITY_BENEFITS",
    "INS_LIQUID_ASSETS",
    "INS_PREMIUMS",
    "INS_TOTAL_ASSETS",
    "VEN_MARGIN_BALANCE",
    "BANK_DEPOSITS",
    "BANK_TOTAL_ASSETS",
    "BANK_ACCEPTANCES_OUTSTANDING",
    "FGC_TOTAL_ASSETS",
  ]),
];

/** Types that file returns and are scored (regulators' offices and companies under watch are not). */
export function isScoredType(type: string): boolean {
  return type !== "supervisory_office" && type !== "watched_company";
}

const reportableByType = new Map<string, Set<string>>();
function reportable(type: string): Set<string> {
  let set = reportableByType.get(type);
  if (!set) {
    set = new Set(
      itemDictionary.filter((d) => (d.appliesTo as readonly string[]).includes(type)).map((d) => d.code),
    );
    reportableByType.set(type, set);
  }
  return set;
}
const itemDefs = new Map<string, (typeof itemDictionary)[number]>(itemDictionary.map((d) => [d.code, d]));

/** Builds a panel from facts and registry rows (facts outside the months or of unknown institutions are ignored). */
export function buildPanel(
  registry: readonly PanelInstitution[],
  facts: Iterable<Fact>,
  months: readonly string[],
): Panel {
  const institutions = registry.filter((r) => isScoredType(r.type));
  const instIndex = new Map(institutions.map((r, i) => [r.code, i]));
  const first = monthIndex(months[0]!);
  const m = months.length;
  const entityAt = new Int32Array(institutions.length * m).fill(-1);
  const entities: EntityInput[] = [];
  const inst: number[] = [];
  const month: number[] = [];
  const dropped = new Map<string, number>();
  const itemColumn = new Map<string, number>(panelItems.map((c, i) => [c, i]));
  const floatRows: (Float64Array | undefined)[] = [];
  // Periods repeat for every fact: parse each once.
  const monthOf = new Map<string, number>();
  for (const f of facts) {
    const i = instIndex.get(f.institution);
    if (i === undefined) continue;
    let mi = monthOf.get(f.period);
    if (mi === undefined) {
      mi = monthIndex(periodMonth(f.period)) - first;
      monthOf.set(f.period, mi);
    }
    if (mi < 0 || mi >= m) continue;
    const r = institutions[i]!;
    const def = itemDefs.get(f.item);
    if (!def || !reportable(r.type).has(f.item) || checkItemValue(def, f.value) !== undefined) {
      dropped.set(r.code, (dropped.get(r.code) ?? 0) + 1);
      continue;
    }
    const slot = i * m + mi;
    let e = entityAt[slot]!;
    if (e < 0) {
      e = entities.length;
      entityAt[slot] = e;
      entities.push({
        institution: r.code,
        period: months[mi]!,
        type: r.type,
        ...(r.bankTier !== undefined ? { bankTier: r.bankTier } : {}),
        facts: {},
      });
      inst.push(i);
      month.push(mi);
      floatRows.push(undefined);
    }
    (entities[e]!.facts as Record<string, string>)[f.item] = f.value;
    const col = itemColumn.get(f.item);
    if (col !== undefined) {
      let row = floatRows[e];
      if (!row) {
        row = new Float64Array(panelItems.length).fill(Number.NaN);
        floatRows[e] = row;
      }
      row[col] = Number(f.value);
    }
  }
  const values = new Float64Array(entities.length * panelItems.length).fill(Number.NaN);
  floatRows.forEach((row, e) => {
    if (row) values.set(row, e * panelItems.length);
  });
  return {
    months: [...months],
    institutions,
    entities,
    entityInst: Int32Array.from(inst),
    entityMonth: Int32Array.from(month),
    entityAt,
    items: panelItems,
    values,
    dropped,
  };
}

/** Column of an item in `panel.values`. */
export function itemColumnOf(panel: Panel, item: ItemCode): number {
  const c = panel.items.indexOf(item);
  if (c < 0) throw new Error(`item ${item} is not held by the panel`);
  return c;
}

/** Size of an institution at a month: registry total assets, else its type's total-assets item. */
export function sizeAt(panel: Panel, i: number, mi: number): number {
  const r = panel.institutions[i]!;
  if (r.totalAssets !== undefined && r.totalAssets > 0) return r.totalAssets;
  const item = totalAssetsItemByType[r.type];
  if (!item) return Number.NaN;
  const col = panel.items.indexOf(item);
  if (col < 0) return Number.NaN;
  for (let k = mi; k >= 0 && k >= mi - 3; k--) {
    const e = panel.entityAt[i * panel.months.length + k]!;
    if (e >= 0) {
      const v = panel.values[e * panel.items.length + col]!;
      if (Number.isFinite(v)) return v;
    }
  }
  return Number.NaN;
}

/** Registry rows as scoring needs them, with the month each failed institution's licence was revoked. */
export async function loadRegistry(db: Sql): Promise<PanelInstitution[]> {
  const rows = await db.query<{
    code: string;
    type: string;
    sector: string;
    district: string;
    name_zh: string;
    name_en: string;
    bank_tier: number | null;
    total_assets: string | null;
    status: string;
    failed_on: string | null;
  }>(
    `select trim(i.code) as code, i.type, i.sector, i.district, i.name_zh, i.name_en, i.bank_tier, i.total_assets::text as total_assets,
            i.status, (select max(l.status_since)::text from licences l where l.institution_code = i.code and l.status = 'revoked') as failed_on
     from institutions i order by i.code`,
  );
  return rows.map((r) => ({
    code: r.code,
    type: r.type as InstitutionType,
    sector: r.sector,
    district: r.district,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    ...(r.bank_tier !== null ? { bankTier: Number(r.bank_tier) as BankTier } : {}),
    ...(r.total_assets !== null ? { totalAssets: Number(r.total_assets) } : {}),
    status: r.status,
    ...(r.failed_on ? { failedFrom: r.failed_on.slice(0, 7) } : {}),
  }));
}

/**
 * Loads the current returns of the months `from`..`to` into a panel. Facts travel as one text of
 * "code,period,item,value" lines: moving 600k rows one by one out of the database costs seconds, and so does
 * grouping them (a sort, or a hash aggregate that spills past work_mem); one plain aggregate does not.
 */
export async function loadPanel(db: Sql, range: { from: string; to: string }): Promise<Panel> {
  const months = monthRange(range.from, range.to);
  const registry = await loadRegistry(db);
  const [row] = await db.query<{ x: string | null }>(
    `select string_agg(f.institution_code || ',' || f.period || ',' || f.item || ',' || coalesce(f.value::text, f.grade), E'\\n') as x
     from facts f join submissions s on s.id = f.submission_id
     where s.superseded_at is null and s.dataset = 'returns' and f.period = any($1::text[])`,
    [periodLabelsFor(months)],
  );
  // Fields are cut out of the text by position: splitting into lines, then each line into fields, costs twice.
  function* facts(): Generator<Fact> {
    const x = row?.x ?? "";
    for (let at = 0; at < x.length; ) {
      let end = x.indexOf("\n", at);
      if (end < 0) end = x.length;
      const a = x.indexOf(",", at);
      const b = x.indexOf(",", a + 1);
      const c = x.indexOf(",", b + 1);
      yield {
        institution: x.slice(at, a),
        period: x.slice(a + 1, b),
        item: x.slice(b + 1, c),
        value: x.slice(c + 1, end),
      };
      at = end + 1;
    }
  }
  return buildPanel(registry, facts(), months);
}

/** The first and last months with current returns on file, or undefined when there are none. */
export async function returnMonthRange(db: Sql): Promise<{ first: string; last: string } | undefined> {
  const rows = await db.query<{ p: string }>(
    "select distinct period as p from submissions where dataset = 'returns' and superseded_at is null",
  );
  let lo = Number.POSITIVE_INFINITY;
  let hi = -1;
  for (const r of rows) {
    try {
      const m = monthIndex(periodMonth(r.p));
      lo = Math.min(lo, m);
      hi = Math.max(hi, m);
    } catch {
      // A malformed period cannot come through intake; ignore it rather than fail the run.
    }
  }
  return hi < 0 ? undefined : { first: monthLabelOf(lo), last: monthLabelOf(hi) };
}

/** The latest month with returns on file, or undefined when there are none. */
export async function latestReturnMonth(db: Sql): Promise<string | undefined> {
  return (await returnMonthRange(db))?.last;
}
