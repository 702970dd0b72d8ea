import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { activePhraseList } from "./active-phrase-list.ts";
import { type PhraseListVersion, phraseListColumns, toPhraseListVersion } from "./phrase-list-row.ts";
import { phraseEntrySchema, phraseListSchema } from "./phrases.ts";

export const proposePhraseListInput = z.strictObject({
  /** Entries to add, or to replace (same id). */
  add: z.array(phraseEntrySchema).max(500).default([]),
  /** Ids to take out. */
  remove: z.array(z.string()).max(500).default([]),
  note: z.string().trim().min(5, "say why, in at least 5 characters").max(2000),
});
export type ProposePhraseListInput = z.input<typeof proposePhraseListInput>;

/**
 * Proposes a new version of the phrase list: the approved list in force with entries added, replaced or
 * removed. Nothing changes for runs until another person approves it (decidePhraseList).
 */
export async function proposePhraseList(
  db: Db,
  actor: string,
  input: ProposePhraseListInput,
): Promise<PhraseListVersion> {
  const parsed = proposePhraseListInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  const { add, remove, note } = parsed.data;
  if (add.length === 0 && remove.length === 0)
    throw new AppError("INVALID_INPUT", "a proposal must add or remove at least one phrase");
  const current = await activePhraseList(db);
  const known = new Set(current.entries.map((e) => e.id));
  const unknown = remove.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new AppError(
      "INVALID_INPUT",
      `not in the list in force (version ${current.version}): ${unknown.join(", ")}`,
    );
  const replaced = new Map(add.map((e) => [e.id, e]));
  const entries = [
    ...current.entries.filter((e) => !remove.includes(e.id)).map((e) => replaced.get(e.id) ?? e),
    ...add.filter((e) => !known.has(e.id)),
  ];
  const checked = phraseListSchema.safeParse(entries);
  if (!checked.success) {
    throw new AppError(
      "INVALID_INPUT",
      checked.error.issues.map((i) => `entries.${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  return db.transaction(async (tx) => {
    await tx.query("lock table lf_phrase_lists in exclusive mode");
    const [next] = await tx.query<{ v: number }>(
      "select coalesce(max(version), 0) + 1 as v from lf_phrase_lists",
    );
    const version = Number(next!.v);
    await tx.query(
      "insert into lf_phrase_lists (version, entries, note, proposed_by) values ($1, $2::jsonb, $3, $4)",
      [version, JSON.stringify(checked.data), note, actor],
    );
    await appendAudit(tx, {
      actor,
      action: "phrase_list.proposed",
      subjectKind: "phrase_list",
      subjectId: version,
      detail: { basedOn: current.version, added: add.map((e) => e.id), removed: remove, note },
    });
    const [row] = await tx.query<Record<string, unknown>>(
      `select ${phraseListColumns} from lf_phrase_lists where version = $1`,
      [version],
    );
    return toPhraseListVersion(row!);
  });
}
