import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import { type Sector, type SupervisoryUnit, sectors, sectorUnits } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import { actorName, type Principal, unitCodes } from "../identity/roles.ts";
import { institutionResource } from "../identity/values.ts";
import { notify } from "../sharing/notify.ts";
import { priorities, sourceKinds } from "./case-row.ts";
import { type CaseDetail, getCase } from "./get-case.ts";

const unit = z.enum(unitCodes as [SupervisoryUnit, ...SupervisoryUnit[]]);

export const createCaseInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(""),
  source: z.strictObject({
    kind: z.enum(sourceKinds),
    ref: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("The warning, finding or breach id; free text for manual cases."),
  }),
  institution: z
    .string()
    .regex(/^[0-9A-Za-z]{18}$/, "must be an 18-character credit code")
    .optional(),
  sector: z.enum(sectors).optional().describe("Required when the case concerns no single institution."),
  ownerUnit: unit.optional(),
  coordinatingUnits: z.array(unit).max(10).optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  priority: z.enum(priorities).default("normal"),
});
export type CreateCaseInput = z.input<typeof createCaseInput>;

/**
 * Opens a case on a warning, finding, breach or a supervisor's own concern. The owner is the caller's unit,
 * which must lead the sector; the sector's coordinating units join unless others are named.
 */
export async function createCase(db: Db, actor: Principal, input: CreateCaseInput): Promise<CaseDetail> {
  const parsed = createCaseInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    throw new AppError("INVALID_INPUT", issues.join("; "), { issues });
  }
  const c = parsed.data;
  let sector: Sector;
  let district: string | null = null;
  let institution: string | null = null;
  if (c.institution) {
    const r = await institutionResource(db, c.institution);
    if (c.sector && c.sector !== r.sector)
      throw new AppError("INVALID_INPUT", `sector: ${r.institution} is in ${r.sector}`);
    sector = r.sector as Sector;
    district = r.district ?? null;
    institution = r.institution ?? null;
  } else if (c.sector) {
    sector = c.sector;
  } else {
    throw new AppError("INVALID_INPUT", "institution or sector: say what the case concerns");
  }
  assertAllowed(actor, "cases.create", { kind: "data", sector, district, institution });
  const leads = sectorUnits[sector].lead;
  const owner: SupervisoryUnit =
    actor.kind === "user" && actor.unit ? actor.unit : (c.ownerUnit ?? (leads[0] as SupervisoryUnit));
  if (c.ownerUnit && c.ownerUnit !== owner)
    throw new AppError("FORBIDDEN", "a unit opens cases only as their owner");
  if (!leads.includes(owner))
    throw new AppError("INVALID_INPUT", `ownerUnit: ${owner} does not lead ${sector}`);
  const coordinating = [...new Set(c.coordinatingUnits ?? sectorUnits[sector].coordinate)].filter(
    (u) => u !== owner,
  );
  if (c.dueAt && new Date(c.dueAt).getTime() <= Date.now())
    throw new AppError("INVALID_INPUT", "dueAt: must be in the future");
  const id = await db.transaction(async (tx) => {
    if (c.source.kind !== "manual") {
      const [open] = await tx.query<{ id: string }>(
        "select id::text from cases where source_kind = $1 and source_ref = $2 and status not in ('closed', 'referred')",
        [c.source.kind, c.source.ref],
      );
      if (open)
        throw new AppError(
          "CONFLICT",
          `case ${open.id} is already open on ${c.source.kind} ${c.source.ref}`,
          { caseId: Number(open.id) },
        );
    }
    const [row] = await tx.query<{ id: string }>(
      `insert into cases (title, description, source_kind, source_ref, institution_code, sector, district, owner_unit,
         coordinating_units, priority, due_at, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id::text`,
      [
        c.title,
        c.description,
        c.source.kind,
        c.source.ref,
        institution,
        sector,
        district,
        owner,
        coordinating,
        c.priority,
        c.dueAt ?? null,
        actorName(actor),
      ],
    );
    const caseId = Number(row!.id);
    await tx.query(
      "insert into case_history (case_id, from_status, to_status, note, actor) values ($1, null, 'open', '', $2)",
      [caseId, actorName(actor)],
    );
    await notify(
      tx,
      { units: [owner, ...coordinating], except: actor.kind === "user" ? actor.userId : null },
      { kind: "case.opened", title: `Case ${caseId} opened: ${c.title}`, link: `/cases/${caseId}` },
    );
    await appendAudit(tx, {
      actor,
      action: "case.opened",
      subjectKind: "case",
      subjectId: caseId,
      detail: {
        title: c.title,
        source: c.source,
        institution,
        sector,
        ownerUnit: owner,
        coordinatingUnits: coordinating,
        dueAt: c.dueAt ?? null,
      },
    });
    return caseId;
  });
  return getCase(db, actor, id);
}
