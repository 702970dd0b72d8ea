import { describe, expect, test } from "vitest";
import { type AttributeRows, sharedAttributeComponents } from "./shared-attributes.ts";

function rowsOf(rows: readonly (readonly [string, string, string])[]): AttributeRows {
  return {
    entity: rows.map((r) => r[0]),
    attribute: rows.map((r) => r[1]),
    value: rows.map((r) => r[2]),
  };
}

// Claimants sharing phones, addresses, accounts and one very common hospital.
const claims = rowsOf([
  ["c1", "phone", "P1"],
  ["c1", "hospital", "H1"],
  ["c2", "phone", "P1"],
  ["c2", "address", "A1"],
  ["c3", "address", "A1"],
  ["c4", "account", "B1"],
  ["c4", "hospital", "H1"],
  ["c5", "account", "B1"],
  ["c6", "hospital", "H1"],
  ["c7", "hospital", "H1"],
  ["c8", "phone", ""],
  ["c9", "phone", "A1"],
  ["c10", "phone", "A1"],
  ["c1", "phone", "P1"],
  ["c11", "phone", "P9"],
]);

describe("sharedAttributeComponents", () => {
  test("links entities through shared values, skipping values over the degree cap", () => {
    const result = sharedAttributeComponents(claims, { maxDegree: 3 });
    expect(result.components).toEqual([
      {
        entities: ["c1", "c2", "c3"],
        links: [
          { attribute: "phone", value: "P1", entities: ["c1", "c2"] },
          { attribute: "address", value: "A1", entities: ["c2", "c3"] },
        ],
      },
      { entities: ["c4", "c5"], links: [{ attribute: "account", value: "B1", entities: ["c4", "c5"] }] },
      { entities: ["c9", "c10"], links: [{ attribute: "phone", value: "A1", entities: ["c9", "c10"] }] },
    ]);
    expect(result.skipped).toEqual([{ attribute: "hospital", value: "H1", degree: 4 }]);
  });

  test("a hub under the cap merges everything it touches", () => {
    const result = sharedAttributeComponents(claims, { maxDegree: 10 });
    expect(result.skipped).toEqual([]);
    expect(result.components.map((c) => c.entities)).toEqual([
      ["c1", "c2", "c3", "c4", "c5", "c6", "c7"],
      ["c9", "c10"],
    ]);
    expect(result.components[0]!.links).toEqual([
      { attribute: "phone", value: "P1", entities: ["c1", "c2"] },
      { attribute: "hospital", value: "H1", entities: ["c1", "c4", "c6", "c7"] },
      { attribute: "address", value: "A1", entities: ["c2", "c3"] },
      { attribute: "account", value: "B1", entities: ["c4", "c5"] },
    ]);
  });

  test("per-attribute caps override the default, and minSize filters small groups", () => {
    const result = sharedAttributeComponents(claims, {
      maxDegree: 10,
      maxDegreeFor: { hospital: 3 },
      minSize: 3,
    });
    expect(result.components.map((c) => c.entities)).toEqual([["c1", "c2", "c3"]]);
    expect(result.skipped).toEqual([{ attribute: "hospital", value: "H1", degree: 4 }]);
  });

  test("rejects columns of different lengths", () => {
    expect(() => sharedAttributeComponents({ entity: ["a"], attribute: [], value: ["x"] })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});
