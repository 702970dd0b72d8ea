import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { testDb } from "../testing/db.ts";
import { addLpr, listLpr, seedLpr } from "./lpr.ts";

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => db.close());

test("the shipped history starts in August 2019 with 4.25% and 4.85%, and seeding twice adds nothing", async () => {
  const first = await seedLpr(db);
  expect(first).toBeGreaterThan(70);
  expect(await seedLpr(db)).toBe(0);
  const all = await listLpr(db);
  expect(all[0]).toMatchObject({ month: "2019-08", oneYear: "4.25", fiveYear: "4.85" });
  // One row per month, no gaps.
  for (let i = 1; i < all.length; i++) {
    const [y, m] = all[i - 1]!.month.split("-").map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
    expect(all[i]!.month).toBe(next);
  }
});

test("a new month is added with its source; bad or repeated months are refused with a reason", async () => {
  const all = await listLpr(db);
  const last = all.at(-1)!.month;
  const [y, m] = last.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  await expect(
    addLpr(db, { month: next, oneYear: "3.00", fiveYear: "3.5", source: "NIFC announcement", addedBy: "t" }),
  ).resolves.toMatchObject({ month: next });
  await expect(
    addLpr(db, { month: next, oneYear: "3.00", fiveYear: "3.50", source: "again", addedBy: "t" }),
  ).rejects.toThrow(/already recorded/);
  await expect(
    addLpr(db, { month: "2030-13", oneYear: "3.00", fiveYear: "3.50", source: "x y z", addedBy: "t" }),
  ).rejects.toThrow(/month/);
  await expect(
    addLpr(db, { month: "2031-01", oneYear: "-1", fiveYear: "3.50", source: "x y z", addedBy: "t" }),
  ).rejects.toThrow(/oneYear/);
  expect((await listLpr(db)).length).toBe(all.length + 1);
});
