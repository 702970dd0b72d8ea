import { z } from "zod";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { creditCode, institutionResource } from "../identity/values.ts";
import { appendAudit } from "./append-audit.ts";
import { type Filing, getFiling } from "./get-filing.ts";

export const productKinds = [
  "wealth_management",
  "asset_management",
  "trust_plan",
  "insurance",
  "private_fund",
  "loan_product",
  "guarantee",
  "bill_business",
  "other",
] as const;

export const filingInput = z.strictObject({
  productCode: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "1-64 letters, digits, dots, dashes or underscores"),
  productName: z.string().trim().min(1).max(200),
  productKind: z.enum(productKinds),
  description: z.string().max(10_000).default(""),
  launchDate: z.iso.date().optional(),
  amends: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("The filing this one amends (same institution and product)."),
  institution: z.string().optional().describe("Only for operators; an institution files for itself."),
});
export type FilingInput = z.input<typeof filingInput>;

/**
 * Records a product filing in the append-only filing ledger; its content goes into the audit log in the same
 * transaction, so the filing can later be proven included in a sealed checkpoint.
 */
export async function recordFiling(db: Db, actor: Principal, input: FilingInput): Promise<Filing> {
  const f = filingInput.parse(input);
  const code =
    actor.kind === "user" && actor.role === "institution"
      ? actor.institution
      : f.institution
        ? creditCode(f.institution)
        : null;
  if (!code) throw new AppError("INVALID_INPUT", "institution: which institution files this product?");
  if (
    actor.kind === "user" &&
    actor.role === "institution" &&
    f.institution &&
    creditCode(f.institution) !== code
  ) {
    throw new AppError("FORBIDDEN", "an institution files products only for itself");
  }
  assertAllowed(actor, "filings.create", await institutionResource(db, code));
  const id = await db.transaction(async (tx) => {
    if (f.amends) {
      const [orig] = await tx.query<{ code: string; product: string }>(
        "select trim(institution_code) as code, product_code as product from product_filings where id = $1",
        [f.amends],
      );
      if (!orig || orig.code !== code || orig.product !== f.productCode) {
        throw new AppError(
          "INVALID_INPUT",
          `amends: no filing ${f.amends} of product ${f.productCode} by this institution`,
        );
      }
    }
    const [next] = await tx.query<{ id: string }>("select nextval('product_filings_id_seq')::text as id");
    const filingId = Number(next!.id);
    const detail = {
      institution: code,
      productCode: f.productCode,
      productName: f.productName,
      productKind: f.productKind,
      description: f.description,
      launchDate: f.launchDate ?? null,
      amends: f.amends ?? null,
    };
    const { seq } = await appendAudit(tx, {
      actor,
      action: "filing.recorded",
      subjectKind: "filing",
      subjectId: filingId,
      detail,
    });
    await tx.query(
      `insert into product_filings (id, institution_code, product_code, product_name, product_kind, description, launch_date, amends, filed_by, audit_seq)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        filingId,
        code,
        f.productCode,
        f.productName,
        f.productKind,
        f.description,
        f.launchDate ?? null,
        f.amends ?? null,
        actorName(actor),
        seq,
      ],
    );
    return filingId;
  });
  return getFiling(db, actor, id);
}
