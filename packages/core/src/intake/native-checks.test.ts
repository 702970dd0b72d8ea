import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Column, identifierPattern } from "../contract/columns.ts";
import { datasets } from "../contract/datasets.ts";
import {
  creditCodeCheckChar,
  isValidCreditCode,
  isValidResidentId,
  residentIdCheckChar,
} from "../contract/identifiers.ts";
import { type Duck, literal, openDuck } from "../lake/duckdb.ts";
import { intakeExtension } from "../lake/intake-extension.ts";
import { testCreditCode, testResidentId } from "../testing/fixtures.ts";
import { type CheckTables, parsedKinds, parsedSql, rowChecks } from "./checks.ts";

/**
 * The beacon_intake extension's validators decide intake's landing flag; the report's checks are SQL. A row must get
 * the same verdict both ways, or good data would be stored unchecked (native too lenient) or a file rejected with no
 * problem to report (native too strict). These tests compare the two on every column type of the contract, over
 * valid values, their one-character mutations and hand-picked edge cases.
 */
/** A small deterministic generator (mulberry32): the same cases on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pool = [..."0123456789X-+.,eE_/: xABIOSVZ中１"];

/** Each value, and mutations of it: a character replaced, removed, inserted or doubled, the text cut. */
function mutations(values: string[], next: () => number, perValue: number): string[] {
  const out = [...values];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  for (const v of values) {
    for (let k = 0; k < perValue; k++) {
      const i = Math.floor(next() * (v.length + 1));
      const c = pick(pool);
      switch (k % 5) {
        case 0:
          out.push(v.slice(0, i) + c + v.slice(i + 1));
          break;
        case 1:
          out.push(v.slice(0, i) + v.slice(i + 1));
          break;
        case 2:
          out.push(v.slice(0, i) + c + v.slice(i));
          break;
        case 3:
          out.push(v.slice(0, i) + v.slice(i - 1, i) + v.slice(i));
          break;
        default:
          out.push(v.slice(0, i));
      }
    }
  }
  return out;
}

function samples(column: Column, next: () => number): string[] {
  const t = column.type;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join("");
  const n = 400;
  switch (t.kind) {
    case "decimal":
    case "integer": {
      const scale = t.kind === "decimal" ? t.scale : 0;
      const whole = (t.kind === "decimal" ? (t.precision ?? 18) : 18) - scale;
      const valid = Array.from({ length: n }, (_, i) => {
        const w = digits(1 + (i % whole));
        const f = scale > 0 && i % 3 ? `.${digits(1 + (i % scale))}` : "";
        return `${i % 4 === 0 ? "-" : ""}${w}${f}`;
      });
      const edges = [
        "",
        "-",
        ".",
        "0",
        "-0",
        "0.",
        ".5",
        "5.",
        "+1",
        " 1",
        "1 ",
        "1e2",
        "1_000",
        "0x10",
        "１",
      ];
      edges.push(
        "9".repeat(whole),
        "9".repeat(whole + 1),
        `1.${"0".repeat(scale)}`,
        `1.${"0".repeat(scale + 1)}`,
      );
      return mutations([...valid, ...edges], next, 10);
    }
    case "date": {
      const valid = Array.from({ length: n }, () => {
        const d = new Date(
          Date.UTC(1 + Math.floor(next() * 9998), 0, 1) + Math.floor(next() * 366) * 86400000,
        );
        return d.toISOString().slice(0, 10);
      }).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
      const edges = ["0000-01-01", "0001-01-01", "9999-12-31", "1900-02-29", "2000-02-29", "2023-02-29"];
      edges.push(
        "2024-04-31",
        "2024-13-01",
        "2024-00-10",
        "2024-01-00",
        "2024/01/05",
        "2024-1-05",
        " 2024-01-05",
      );
      return mutations([...valid, ...edges], next, 10);
    }
    case "credit_code": {
      const valid = Array.from({ length: n }, (_, i) => testCreditCode(i * 7919));
      // Bodies over the whole alphabet, each with its right and a wrong check character.
      const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
      for (let i = 0; i < n; i++) {
        const body = Array.from({ length: 17 }, (_, k) =>
          k >= 2 && k < 8 ? digits(1) : alphabet[Math.floor(next() * 31)],
        ).join("");
        valid.push(body + creditCodeCheckChar(body), `${body}${alphabet[Math.floor(next() * 31)]}`);
      }
      // Mutants given their right check character, so that format errors do not hide behind a wrong one.
      const mutants = mutations([...valid, "", "91500103MA0000001X", valid[0]!.toLowerCase()], next, 10);
      return [
        ...mutants,
        ...mutants
          .filter((m) => m.length === 18)
          .map((m) => m.slice(0, 17) + creditCodeCheckChar(m.slice(0, 17))),
      ];
    }
    case "personal_id": {
      const valid = Array.from({ length: n }, (_, i) => testResidentId(i * 104729));
      for (let i = 0; i < n; i++) {
        const body = `${digits(6)}${1700 + Math.floor(next() * 400)}${String(1 + Math.floor(next() * 13)).padStart(2, "0")}${String(Math.floor(next() * 32)).padStart(2, "0")}${digits(3)}`;
        valid.push(body + residentIdCheckChar(body), `${body}X`, `${body}x`);
      }
      // Birth dates around the 1800 floor, leap days and month ends, each with its right check digit.
      for (const date of [
        "17991231",
        "18000101",
        "18000229",
        "18040229",
        "19000229",
        "20000229",
        "20230431",
      ]) {
        const body = `500103${date}123`;
        valid.push(body + residentIdCheckChar(body));
      }
      const mutants = mutations([...valid, "", "X".repeat(18), "0".repeat(18)], next, 10);
      return [
        ...mutants,
        ...mutants
          .filter((m) => /^[0-9]{17}/.test(m) && m.length === 18)
          .map((m) => m.slice(0, 17) + residentIdCheckChar(m.slice(0, 17))),
      ];
    }
    case "string": {
      const characters = "ABCXYZabcxyz0189_.:-";
      const valid = Array.from({ length: n }, (_, i) =>
        Array.from({ length: 1 + (i % 70) }, () => characters[Math.floor(next() * characters.length)]).join(
          "",
        ),
      );
      return mutations(
        [...valid, "", " ", "a b", "贷款1", "a\tb", "L-1/2", "x".repeat(64), "x".repeat(65)],
        next,
        10,
      );
    }
    default:
      return [];
  }
}

/** One column of each distinct checked type in the contract. */
function columnsToCompare(): { dataset: (typeof datasets)[number]; column: Column }[] {
  const seen = new Map<string, { dataset: (typeof datasets)[number]; column: Column }>();
  for (const dataset of datasets) {
    for (const column of dataset.columns) {
      const t = column.type;
      if (!["decimal", "integer", "date", "credit_code", "personal_id", "string"].includes(t.kind)) continue;
      if (t.kind === "string" && t.pattern !== identifierPattern) continue;
      if (t.kind === "personal_id" && t.idKind !== "resident_id") continue;
      const key = JSON.stringify([t, column.references ?? null]);
      if (!seen.has(key)) seen.set(key, { dataset, column });
    }
  }
  return [...seen.values()];
}

// Whether the extension builds on a machine with a compiler is pseudonymise.test.ts's to assert.
describe.runIf("path" in intakeExtension())(
  "the extension's validators give the SQL checks' verdicts",
  () => {
    let duck: Duck;
    const tables: CheckTables = { registry: "reg_institutions", reporters: "reg_reporters" };
    beforeAll(async () => {
      duck = await openDuck({ intakeExtension: true });
      expect(duck.intakeExtension).toBe(true);
      await duck.run(
        `CREATE TABLE reg_institutions AS SELECT ${literal(testCreditCode(1))} AS code, 'bank' AS type`,
      );
      await duck.run(
        `CREATE TABLE reg_reporters AS SELECT ${literal(testCreditCode(1))} AS code, '2026-09' AS period`,
      );
    });
    afterAll(() => duck.close());

    it.each(columnsToCompare().map((x) => [`${x.dataset.name}.${x.column.name}`, x] as const))(
      "%s",
      async (_, { dataset, column }) => {
        const values = samples(column, random(column.name.length * 7919 + 1));
        expect(values.length).toBeGreaterThan(400);
        const single = { ...dataset, columns: [column], crossField: [] };
        const verdict = (native: boolean) => {
          // The column's own checks: whether a code is registered or licensed does not depend on its format.
          const checks = rowChecks(single, tables, undefined, native).filter(
            (c) => !["required", "reference", "licence"].includes(c.rule),
          );
          return `coalesce(greatest(${checks.map((c) => c.violation).join(", ")}), false)`;
        };
        await duck.run(
          `CREATE OR REPLACE TABLE sample (${literal(column.name).replaceAll("'", '"')} VARCHAR)`,
        );
        await duck.run(`INSERT INTO sample SELECT unnest([NULL, ${values.map(literal).join(", ")}])`);
        const rows = await duck.all<{ v: string | null; sql: boolean; native: boolean }>(
          `SELECT "${column.name}" AS v, ${verdict(false)} AS sql, ${verdict(true)} AS native FROM sample`,
        );
        const disagreements = rows.filter((r) => r.sql !== r.native);
        expect(disagreements).toEqual([]);
        if (parsedKinds.has(column.type.kind)) {
          // What is stored: the extension's parse of every accepted value equals DuckDB's cast, in value and type.
          const [sql, native] = [parsedSql(column, false), parsedSql(column, true)];
          const [parsed] = await duck.all<{ differ: bigint; accepted: bigint; types: string[] }>(
            `SELECT count(*) FILTER (WHERE ${sql} IS DISTINCT FROM ${native}) AS differ, count(*) AS accepted,
               list(DISTINCT typeof(${sql}) || ' ' || typeof(${native})) AS types
             FROM sample WHERE NOT ${verdict(false)} AND "${column.name}" IS NOT NULL`,
          );
          expect(Number(parsed?.accepted)).toBeGreaterThan(20);
          expect(Number(parsed?.differ)).toBe(0);
          expect(parsed?.types.map((t) => new Set(t.split(" ")).size)).toEqual([1]);
        }
        // Both reject some and accept some: the samples reach both sides of every check.
        expect(rows.some((r) => r.sql)).toBe(true);
        expect(rows.some((r) => !r.sql && r.v !== null)).toBe(true);
        if (column.type.kind === "personal_id" || column.type.kind === "credit_code") {
          const reference = column.type.kind === "personal_id" ? isValidResidentId : isValidCreditCode;
          const registered = column.references === "institution" ? [testCreditCode(1)] : [];
          for (const r of rows.filter((r) => r.v !== null && !registered.includes(r.v!)))
            expect([r.v, !r.native]).toEqual([r.v, reference(r.v!)]);
        }
      },
    );
  },
);
