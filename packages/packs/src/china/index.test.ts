import { entityTypeCodes, findItem, itemDictionary } from "@beacon/core/contract/items";
import { findMetric } from "@beacon/core/metrics/index";
import { type EntityInput, evaluatePack, resolveParams } from "@beacon/core/rules/index";
import { describe, expect, it } from "vitest";
import { chinaPack, rulesById } from "./index.ts";

describe("the China pack", () => {
  it("has unique ids, all reachable by id", () => {
    expect(rulesById.size).toBe(chinaPack.length);
    for (const rule of chinaPack) {
      expect(rule.id).toMatch(/^cn\.[a-z]+\.[a-z0-9_]+$/);
      expect(rulesById.get(rule.id)).toBe(rule);
    }
  });

  it("cites a legal basis with issuer and digest status for every rule", () => {
    for (const rule of chinaPack) {
      expect(rule.legalBasis.length, rule.id).toBeGreaterThan(0);
      for (const basis of rule.legalBasis) {
        expect(basis.document.en.length, rule.id).toBeGreaterThan(0);
        expect(basis.document.zh.length, rule.id).toBeGreaterThan(0);
        expect(basis.issuer.en.length, rule.id).toBeGreaterThan(0);
        expect(["P", "S", "S*", "U"], rule.id).toContain(basis.status);
      }
    }
  });

  it("reads only known metrics and items, for types that report them", () => {
    for (const rule of chinaPack) {
      for (const code of rule.reads) {
        const inputs = findMetric(code)?.inputs ?? [code];
        for (const input of inputs) {
          const item = findItem(input);
          expect(item, `${rule.id} reads ${input}`).toBeDefined();
          for (const type of rule.appliesTo.types) {
            expect(item!.appliesTo, `${rule.id}: ${input} for ${type}`).toContain(type);
          }
        }
      }
    }
  });

  it("covers only known entity types, with well-formed effective dates", () => {
    for (const rule of chinaPack) {
      for (const type of rule.appliesTo.types) expect(entityTypeCodes).toContain(type);
      expect(rule.effective.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (rule.effective.to) expect(rule.effective.to > rule.effective.from).toBe(true);
      expect(["low", "medium", "high", "critical"]).toContain(rule.severity);
    }
  });

  it("has defaults that pass its own parameter schemas", () => {
    for (const rule of chinaPack) {
      expect(resolveParams(rule), rule.id).toEqual(rule.params.defaults);
      for (const spec of Object.values(
        rule.params.specs as Record<string, { status: string; note?: string }>,
      )) {
        expect(["confirmed", "to_confirm"]).toContain(spec.status);
        if (spec.status === "to_confirm") expect(spec.note, rule.id).toBeTruthy();
      }
    }
  });

  it("gives no error outcome on full returns of plausible values, and explains every outcome", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    // Registry variants so that every rule's scope (size, tier, product form, dates) is met somewhere.
    const variants: Partial<Record<string, Partial<EntityInput>[]>> = {
      bank: [
        { bankTier: 3, totalAssets: "250000000000" },
        { bankTier: 5, totalAssets: "150000000000", systemicallyImportant: false },
      ],
      am_product: [
        { product: { offering: "private", structure: "closed_ended", tiered: true, assetClass: "mixed" } },
        {
          product: { offering: "public", structure: "open_ended", tiered: false, assetClass: "fixed_income" },
        },
      ],
    };
    const entities: EntityInput[] = [];
    for (const type of entityTypeCodes) {
      for (const variant of variants[type] ?? [{}]) {
        for (const period of ["2019-06", "2024-11", "2024-12"]) {
          const facts: Record<string, string> = {};
          for (const item of itemDictionary) {
            if (!item.appliesTo.includes(type)) continue;
            if (item.unit === "flag") facts[item.code] = random() < 0.3 ? "1" : "0";
            else if (item.unit === "grade") facts[item.code] = random() < 0.5 ? "BBB" : "C";
            else if (item.unit === "count" || item.unit === "days")
              facts[item.code] = String(Math.floor(random() * 120));
            else if (item.unit === "ratio") facts[item.code] = (random() * 0.6).toFixed(4);
            else facts[item.code] = (random() * 1e9 - 1e8).toFixed(2);
          }
          entities.push({ institution: "915000002028300011", type, period, facts, ...variant });
        }
      }
    }
    const outcomes = evaluatePack(chinaPack, entities, {}, { includeNotApplicable: true });
    expect(outcomes).toHaveLength(chinaPack.length * entities.length);
    for (const o of outcomes) {
      expect(o.kind, `${o.ruleId}: ${o.explanation.en}`).not.toBe("error");
      expect(o.explanation.en.length).toBeGreaterThan(10);
      expect(o.explanation.zh.length).toBeGreaterThan(5);
    }
    // Every rule is assessed for at least one of these entities.
    const assessed = new Set(outcomes.filter((o) => o.kind !== "not_applicable").map((o) => o.ruleId));
    expect([...rulesById.keys()].filter((id) => !assessed.has(id))).toEqual([]);
  });
});
