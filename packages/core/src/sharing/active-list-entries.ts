import type { Sql } from "../db/client.ts";
import { type ListEntry, listEntryColumns, toListEntry } from "./list-entry-row.ts";

/**
 * The entries of the shared black or grey list in force now (not revoked, not expired): what detectors read.
 * People appear by pseudonym, matching the lake's hashed identifiers.
 */
export async function activeListEntries(db: Sql, kind: "black" | "grey"): Promise<ListEntry[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select ${listEntryColumns} from shared_list_entries
     where kind = $1 and revoked_at is null and (expires_at is null or expires_at > now()) order by shared_list_entries.id`,
    [kind],
  );
  return rows.map(toListEntry);
}
