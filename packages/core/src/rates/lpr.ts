import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";

export interface LprMonth {
  month: string;
  oneYear: string;
  fiveYear: string;
  source: string;
  addedBy: string;
}

const shippedSource = "National Interbank Funding Center monthly LPR announcements (authorised by the PBoC)";

/** Inserts the shipped LPR history (lpr-history.csv) for months not yet stored; returns how many were added. */
export async function seedLpr(db: Sql): Promise<number> {
  const lines = readFileSync(new URL("./lpr-history.csv", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  const rows = lines.map((l) => l.split(","));
  const added = await db.query(
    `insert into lpr (month, one_year, five_year, source, added_by)
     select m, o, f, $4, 'shipped' from unnest($1::text[], $2::numeric[], $3::numeric[]) t(m, o, f)
     on conflict (month) do nothing returning 1`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), shippedSource],
  );
  return added.length;
}

const percent = z
  .string()
  .regex(/^[0-9]{1,2}(\.[0-9]{1,4})?$/, "must be a percentage such as 3.00 (at most four decimals)")
  .refine((v) => Number(v) > 0 && Number(v) < 30, "must be between 0 and 30 percent");

export const addLprInput = z.strictObject({
  month: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM"),
  oneYear: percent,
  fiveYear: percent,
  source: z.string().min(3, "must name where the rates come from").max(300),
  addedBy: z.string().min(1).max(100),
});

/** Adds one month of LPR; a month already stored is never overwritten. */
export async function addLpr(db: Sql, input: z.input<typeof addLprInput>): Promise<LprMonth> {
  const parsed = addLprInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const v = parsed.data;
  const [last] = await db.query<{ month: string }>("select max(month) as month from lpr");
  if (last?.month && v.month <= last.month) {
    throw new AppError(
      "CONFLICT",
      `LPR for ${v.month} is already recorded (latest stored month ${last.month}); months are never overwritten`,
    );
  }
  await db.query(
    "insert into lpr (month, one_year, five_year, source, added_by) values ($1, $2, $3, $4, $5)",
    [v.month, v.oneYear, v.fiveYear, v.source, v.addedBy],
  );
  return { month: v.month, oneYear: v.oneYear, fiveYear: v.fiveYear, source: v.source, addedBy: v.addedBy };
}

/** Every stored month, oldest first. */
export async function listLpr(db: Sql): Promise<LprMonth[]> {
  return db.query<LprMonth>(
    `select month, to_char(one_year, 'FM990.0099') as "oneYear", to_char(five_year, 'FM990.0099') as "fiveYear", source, added_by as "addedBy"
     from lpr order by month`,
  );
}
