import { z } from "zod";
import { appendAudit } from "../../audit/append-audit.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { type PhraseListVersion, phraseListColumns, toPhraseListVersion } from "./phrase-list-row.ts";

export const decidePhraseListInput = z.strictObject({
  decision: z.enum(["approved", "rejected"]),
  note: z.string().trim().min(2).max(2000),
});

/** Approves or rejects a proposed phrase-list version; the proposer may not decide their own proposal. */
export async function decidePhraseList(
  db: Db,
  actor: string,
  version: number,
  input: z.input<typeof decidePhraseListInput>,
): Promise<PhraseListVersion> {
  const parsed = decidePhraseListInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string; proposed_by: string }>(
      "select status, proposed_by from lf_phrase_lists where version = $1 for update",
      [version],
    );
    if (!row) throw new AppError("NOT_FOUND", `no phrase-list version ${version}`);
    if (row.status !== "proposed")
      throw new AppError("CONFLICT", `phrase-list version ${version} is already ${row.status}`);
    if (row.proposed_by === actor)
      throw new AppError(
        "FORBIDDEN",
        "the proposer of a phrase list may not decide it; a second person must",
      );
    if (parsed.data.decision === "approved") {
      // The list in force is the highest approved version: approving an older proposal would silently do nothing.
      const [newer] = await tx.query<{ version: number }>(
        "select version from lf_phrase_lists where status = 'approved' and version > $1 order by version desc limit 1",
        [version],
      );
      if (newer)
        throw new AppError(
          "CONFLICT",
          `version ${newer.version} was approved after this proposal was made; propose the change again on top of it`,
        );
    }
    await tx.query(
      "update lf_phrase_lists set status = $2, decided_by = $3, decided_at = now(), decision_note = $4 where version = $1",
      [version, parsed.data.decision, actor, parsed.data.note],
    );
    await appendAudit(tx, {
      actor,
      action: `phrase_list.${parsed.data.decision}`,
      subjectKind: "phrase_list",
      subjectId: version,
      detail: { note: parsed.data.note },
    });
    const [out] = await tx.query<Record<string, unknown>>(
      `select ${phraseListColumns} from lf_phrase_lists where version = $1`,
      [version],
    );
    return toPhraseListVersion(out!);
  });
}
