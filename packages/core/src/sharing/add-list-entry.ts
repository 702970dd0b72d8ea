import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import { isValidCreditCode, isValidResidentId } from "../contract/identifiers.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed } from "../identity/policy.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { pseudonymise } from "../intake/pseudonymise.ts";
import { type ListEntry, listEntryColumns, toListEntry } from "./list-entry-row.ts";
import { publishFeedItem } from "./publish-feed-item.ts";

export const addListEntryInput = z.strictObject({
  kind: z.enum(["black", "grey"]),
  subjectType: z.enum(["institution", "company", "person"]),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .describe("A credit code, or a person's resident identity number (stored only as a pseudonym)."),
  subjectName: z.string().trim().min(1).max(200).optional().describe("Organisations only."),
  reason: z.string().trim().min(1).max(2000),
  source: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe("Where the listing comes from: a case, a judgment, a notice."),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Adds an organisation or a person to the shared black or grey list. A person's identity number is replaced by
 * the intake pseudonym at once, so lists, logs and the audit trail never hold it.
 */
export async function addListEntry(
  db: Db,
  actor: Principal,
  input: z.input<typeof addListEntryInput>,
  keys: { pseudonymKey: Buffer },
): Promise<ListEntry> {
  assertAllowed(actor, "lists.add", { kind: "none" });
  const e = addListEntryInput.parse(input);
  let subject: string;
  if (e.subjectType === "person") {
    const id = e.subject.toUpperCase();
    if (!isValidResidentId(id))
      throw new AppError("INVALID_INPUT", "subject: not a valid resident identity number");
    if (e.subjectName)
      throw new AppError("INVALID_INPUT", "subjectName: people are listed by pseudonym only");
    subject = pseudonymise(keys.pseudonymKey, id);
  } else {
    subject = e.subject.toUpperCase();
    if (!isValidCreditCode(subject))
      throw new AppError("INVALID_INPUT", "subject: not a valid Unified Social Credit Code");
  }
  if (e.expiresAt && new Date(e.expiresAt).getTime() <= Date.now()) {
    throw new AppError("INVALID_INPUT", "expiresAt: must be in the future");
  }
  const unit = actor.kind === "user" ? actor.unit : null;
  return db.transaction(async (tx) => {
    const [dup] = await tx.query(
      `select id from shared_list_entries where kind = $1 and subject_type = $2 and subject = $3
       and revoked_at is null and (expires_at is null or expires_at > now())`,
      [e.kind, e.subjectType, subject],
    );
    if (dup)
      throw new AppError("CONFLICT", `this subject is already on the ${e.kind} list (entry ${dup.id})`);
    const [row] = await tx.query<Record<string, unknown>>(
      `insert into shared_list_entries (kind, subject_type, subject, subject_name, reason, source, added_by, added_by_unit, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${listEntryColumns}`,
      [
        e.kind,
        e.subjectType,
        subject,
        e.subjectName ?? null,
        e.reason,
        e.source,
        actorName(actor),
        unit,
        e.expiresAt ?? null,
      ],
    );
    const entry = toListEntry(row!);
    const [inst] =
      e.subjectType === "person"
        ? []
        : await tx.query<{ sector: string }>("select sector from institutions where code = $1", [subject]);
    await publishFeedItem(tx, {
      kind: "list_entry",
      title: `${e.subjectName ?? (e.subjectType === "person" ? `person ${subject.slice(0, 12)}…` : subject)} added to the ${e.kind} list`,
      body: e.reason,
      sector: inst?.sector ?? null,
      institution: inst ? subject : null,
      link: `/lists/${entry.id}`,
      author: actorName(actor),
      authorUnit: unit,
      authorUserId: actor.kind === "user" ? actor.userId : null,
    });
    await appendAudit(tx, {
      actor,
      action: "list_entry.added",
      subjectKind: "list_entry",
      subjectId: entry.id,
      detail: {
        kind: e.kind,
        subjectType: e.subjectType,
        subject,
        reason: e.reason,
        source: e.source,
        expiresAt: e.expiresAt ?? null,
      },
    });
    return entry;
  });
}
