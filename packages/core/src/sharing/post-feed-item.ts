import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import { type Sector, sectors } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertAllowed, type Resource } from "../identity/policy.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { institutionResource } from "../identity/values.ts";
import { publishFeedItem } from "./publish-feed-item.ts";

export const postFeedInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(20_000).default(""),
  sector: z.enum(sectors).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Za-z]{18}$/)
    .optional(),
});

/** A supervisor shares a note with the other units, about a sector or an institution they see (or province-wide). */
export async function postFeedItem(
  db: Db,
  actor: Principal,
  input: z.input<typeof postFeedInput>,
): Promise<{ id: number }> {
  const f = postFeedInput.parse(input);
  let resource: Resource = { kind: "collection" };
  let sector: Sector | null = f.sector ?? null;
  const institution = f.institution?.toUpperCase() ?? null;
  if (institution) {
    const r = await institutionResource(db, institution);
    if (f.sector && f.sector !== r.sector)
      throw new AppError("INVALID_INPUT", `sector: ${institution} is in ${r.sector}`);
    sector = r.sector ?? null;
    resource = r;
  } else if (sector) resource = { kind: "data", sector };
  assertAllowed(actor, "feed.post", resource);
  return db.transaction(async (tx) => {
    const id = await publishFeedItem(tx, {
      kind: "note",
      title: f.title,
      body: f.body,
      sector,
      institution,
      author: actorName(actor),
      authorUnit: actor.kind === "user" ? actor.unit : null,
      authorUserId: actor.kind === "user" ? actor.userId : null,
    });
    await appendAudit(tx, {
      actor,
      action: "feed.posted",
      subjectKind: "feed_item",
      subjectId: id,
      detail: { title: f.title, sector, institution },
    });
    return { id };
  });
}
