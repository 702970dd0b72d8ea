import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import { type Sector, sectors } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { creditCode, institutionResource } from "../identity/values.ts";
import { notify } from "../sharing/notify.ts";
import { publishFeedItem } from "../sharing/publish-feed-item.ts";
import { escalationChain, eventTypeCodes, eventTypes, initialLevel } from "./event-types.ts";
import { getRiskEvent, type RiskEventDetail } from "./get-risk-event.ts";

export const fileEventInput = z.strictObject({
  type: z.enum(eventTypeCodes),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  institution: z
    .string()
    .optional()
    .describe("The institution concerned; an institution files only about itself."),
  sector: z.enum(sectors).optional().describe("Required when no institution is named."),
  amount: z
    .string()
    .regex(/^[0-9]{1,20}(\.[0-9]{1,2})?$/, "a decimal amount in yuan, e.g. 1500000.00")
    .optional(),
  peopleAffected: z.number().int().min(0).max(100_000_000).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type FileEventInput = z.input<typeof fileEventInput>;

/**
 * Files a major-risk event. The first report is due within the type's deadline from the occurrence (a late one
 * is marked); the sector's leading units must acknowledge, and larger events start higher up the chain.
 */
export async function fileRiskEvent(
  db: Db,
  actor: Principal,
  input: FileEventInput,
): Promise<RiskEventDetail> {
  const parsed = fileEventInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    throw new AppError("INVALID_INPUT", issues.join("; "), { issues });
  }
  const f = parsed.data;
  const isInstitution = actor.kind === "user" && actor.role === "institution";
  const code = isInstitution ? actor.institution : f.institution ? creditCode(f.institution) : null;
  if (isInstitution && f.institution && creditCode(f.institution) !== code) {
    throw new AppError("FORBIDDEN", "an institution files events only about itself");
  }
  let sector: Sector;
  let district: string | null = null;
  if (code) {
    const r = await institutionResource(db, code);
    sector = r.sector as Sector;
    district = r.district ?? null;
  } else if (f.sector) sector = f.sector;
  else throw new AppError("INVALID_INPUT", "institution or sector: say where the event is");
  assertAllowed(actor, "events.file", { kind: "data", institution: code, sector, district });
  const occurred = new Date(f.occurredAt);
  if (occurred.getTime() > Date.now() + 5 * 60_000)
    throw new AppError("INVALID_INPUT", "occurredAt: is in the future");
  const t = eventTypes[f.type];
  const level = initialLevel(f.amount ?? null, f.peopleAffected ?? null);
  const chain = escalationChain(sector);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; late: boolean }>(
      `insert into risk_events (type, title, description, institution_code, sector, district, amount, people_affected, occurred_at,
         filed_by, filed_by_unit, filed_by_institution, report_due_at, next_follow_up_due_at, ack_due_at, escalation_level)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $9::timestamptz + make_interval(hours => $13),
         now() + make_interval(days => $14), now() + make_interval(hours => $15), $16)
       returning id::text, filed_at > report_due_at as late`,
      [
        f.type,
        f.title,
        f.description,
        code,
        sector,
        district,
        f.amount ?? null,
        f.peopleAffected ?? null,
        f.occurredAt,
        actorName(actor),
        actor.kind === "user" ? actor.unit : null,
        isInstitution ? code : null,
        t.reportHours,
        t.followUpDays,
        t.ackHours,
        level,
      ],
    );
    const eventId = Number(row!.id);
    const units = chain.slice(0, level + 1).flatMap((us, l) => us.map((u) => ({ u, l })));
    for (const { u, l } of units) {
      await tx.query("insert into risk_event_units (event_id, unit, level) values ($1, $2, $3)", [
        eventId,
        u,
        l,
      ]);
    }
    for (const s of t.playbook) {
      await tx.query("insert into risk_event_checklist (event_id, step) values ($1, $2)", [eventId, s.step]);
    }
    const late = row!.late ? ` (filed after the ${t.reportHours}-hour reporting deadline)` : "";
    await tx.query(
      "insert into risk_event_updates (event_id, kind, body, actor) values ($1, 'filed', $2, $3)",
      [eventId, `${t.en} reported${late}`, actorName(actor)],
    );
    await notify(
      tx,
      { units: units.map((x) => x.u), except: actor.kind === "user" ? actor.userId : null },
      {
        kind: "event.filed",
        title: `Major-risk event ${eventId}: ${f.title}`,
        body: `${t.en}${late}`,
        link: `/events/${eventId}`,
      },
    );
    await publishFeedItem(tx, {
      kind: "risk_event",
      title: `Major-risk event filed: ${f.title}`,
      body: t.en,
      sector,
      institution: code,
      link: `/events/${eventId}`,
      author: actorName(actor),
      authorUnit: actor.kind === "user" ? actor.unit : null,
      authorUserId: actor.kind === "user" ? actor.userId : null,
    });
    await appendAudit(tx, {
      actor,
      action: "event.filed",
      subjectKind: "event",
      subjectId: eventId,
      detail: {
        type: f.type,
        title: f.title,
        institution: code,
        sector,
        amount: f.amount ?? null,
        peopleAffected: f.peopleAffected ?? null,
        occurredAt: f.occurredAt,
        level,
      },
    });
    return eventId;
  });
  return getRiskEvent(db, actor, id);
}
