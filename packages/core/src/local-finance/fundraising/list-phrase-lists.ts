import type { Sql } from "../../db/client.ts";
import { activePhraseList } from "./active-phrase-list.ts";
import { type PhraseListVersion, phraseListColumns, toPhraseListVersion } from "./phrase-list-row.ts";

/** Every version of the phrase list, newest first, with the version in force. */
export async function listPhraseLists(db: Sql): Promise<{ inForce: number; versions: PhraseListVersion[] }> {
  const active = await activePhraseList(db);
  const rows = await db.query<Record<string, unknown>>(
    `select ${phraseListColumns} from lf_phrase_lists order by version desc`,
  );
  return { inForce: active.version, versions: rows.map(toPhraseListVersion) };
}
