import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import type { Principal } from "../identity/roles.ts";
import { iso } from "../identity/values.ts";

export interface Filing {
  id: number;
  institution: string;
  institutionName: string;
  sector: string;
  productCode: string;
  productName: string;
  productKind: string;
  description: string;
  launchDate: string | null;
  amends: number | null;
  filedBy: string;
  filedAt: string;
  auditSeq: number;
}

export const filingColumns = `f.id::text, trim(f.institution_code) as institution, i.name_en as "institutionName", i.sector, i.district,
  f.product_code as "productCode", f.product_name as "productName", f.product_kind as "productKind", f.description,
  f.launch_date::text as "launchDate", f.amends::text, f.filed_by as "filedBy", f.filed_at as "filedAt", f.audit_seq::text as "auditSeq"`;

export function toFiling(r: Record<string, unknown>): Filing {
  return {
    id: Number(r.id),
    institution: String(r.institution),
    institutionName: String(r.institutionName),
    sector: String(r.sector),
    productCode: String(r.productCode),
    productName: String(r.productName),
    productKind: String(r.productKind),
    description: String(r.description),
    launchDate: r.launchDate == null ? null : String(r.launchDate),
    amends: r.amends == null ? null : Number(r.amends),
    filedBy: String(r.filedBy),
    filedAt: iso(r.filedAt),
    auditSeq: Number(r.auditSeq),
  };
}

/** One filing, if the principal may read it. */
export async function getFiling(db: Sql, actor: Principal, id: number): Promise<Filing> {
  const [row] = await db.query<Record<string, unknown>>(
    `select ${filingColumns} from product_filings f join institutions i on i.code = f.institution_code where f.id = $1`,
    [id],
  );
  if (!row) throw new AppError("NOT_FOUND", `no filing ${id}`);
  assertAllowed(actor, "filings.read", {
    kind: "data",
    institution: String(row.institution),
    sector: row.sector as never,
    district: String(row.district),
  });
  return toFiling(row);
}
