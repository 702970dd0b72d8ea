import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { backgroundDb, type Db, openPglite } from "./client.ts";

let db: Db;

beforeAll(async () => {
  db = await openPglite(undefined);
  await db.exec(
    "create table t (id bigserial primary key, n numeric, tags text[], doc jsonb, at timestamptz, code char(4))",
  );
});

afterAll(async () => {
  await db.close();
});

// Queries outside a transaction run as prepared statements on PGlite: they must read and write exactly as
// PGlite's own query does inside a transaction (the unprepared path).
describe("PGlite queries as prepared statements", () => {
  const insert =
    "insert into t (n, tags, doc, at, code) values ($1, $2, $3, $4, $5) returning id, n, tags, doc, at, code";
  const row = [
    "12345678901234567890.123",
    ["a", "b,c"],
    { k: [1, "x"] },
    new Date("2026-01-02T03:04:05Z"),
    "AB",
  ];

  test("parameters and rows come and go as on the unprepared path, on the first call and the cached ones", async () => {
    const viaTx = await db.transaction((tx) => tx.query(insert, row));
    const first = await db.query(insert, row);
    const again = await db.query(insert, row);
    const strip = (r: Record<string, unknown>[]) => r.map(({ id, ...rest }) => rest);
    expect(strip(first)).toEqual(strip(viaTx));
    expect(strip(again)).toEqual(strip(viaTx));
    expect(first[0]).toMatchObject({ n: "12345678901234567890.123", tags: ["a", "b,c"], code: "AB  " });
    expect(typeof first[0]!.id).toBe("string");
    expect(
      await db.query("select count(*) as n from t where code = $1 and $2::text is null", ["AB", null]),
    ).toEqual([{ n: "3" }]);
  });

  test("a failed statement reports the database's error and the next query runs", async () => {
    await expect(db.query("insert into t (id) values ($1)", ["not a number"])).rejects.toMatchObject({
      code: "22P02",
    });
    await expect(db.query("selec 1")).rejects.toMatchObject({ code: "42601" });
    expect(await db.query("select $1::int + 1 as x", [41])).toEqual([{ x: 42 }]);
  });

  test("a query waits for an open transaction instead of running inside it", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const tx = db.transaction(async (t) => {
      await t.query("insert into t (code) values ('TX')");
      await held;
      throw new Error("rolled back");
    });
    const outside = db.query<{ n: string }>("select count(*) as n from t where code = 'TX'");
    release();
    await expect(tx).rejects.toThrow("rolled back");
    expect(await outside).toEqual([{ n: "0" }]);
  });
});

describe("the database for background work", () => {
  test("each statement first lets waiting callbacks (requests) run, then answers as the database does", async () => {
    const bg = backgroundDb(db);
    for (const statement of [
      () => bg.query("select $1::int + 1 as x", [1]),
      () => bg.exec("select 1"),
      () => bg.transaction((tx) => tx.query("select 2 as x")),
    ]) {
      let served = false;
      setImmediate(() => {
        served = true;
      });
      const pending = statement();
      expect(served).toBe(false);
      await pending;
      expect(served).toBe(true);
    }
    expect(await bg.query("select $1::int + 1 as x", [1])).toEqual([{ x: 2 }]);
  });
});
