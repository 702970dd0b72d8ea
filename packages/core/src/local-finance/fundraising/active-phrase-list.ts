import type { Sql } from "../../db/client.ts";
import { type PhraseListVersion, phraseListColumns, toPhraseListVersion } from "./phrase-list-row.ts";
import { shippedPhraseList } from "./phrases.ts";

/**
 * The approved phrase list in force (the highest approved version). On first use the shipped list is stored as
 * version 1, approved by "shipped", so every run can name the version it used.
 */
export async function activePhraseList(db: Sql): Promise<PhraseListVersion> {
  await db.query(
    `insert into lf_phrase_lists (version, entries, note, status, proposed_by, decided_by, decided_at, decision_note)
     values (1, $1::jsonb, 'shipped list', 'approved', 'shipped', 'shipped-review', now(), 'shipped with the code')
     on conflict (version) do nothing`,
    [JSON.stringify(shippedPhraseList)],
  );
  const [row] = await db.query<Record<string, unknown>>(
    `select ${phraseListColumns} from lf_phrase_lists where status = 'approved' order by version desc limit 1`,
  );
  return toPhraseListVersion(row!);
}
