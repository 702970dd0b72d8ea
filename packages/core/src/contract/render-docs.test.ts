import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { renderDataContract } from "./render-docs.ts";

test("docs/data-contract.md is generated from the contract and up to date (npm run docs)", () => {
  const committed = readFileSync(new URL("../../../../docs/data-contract.md", import.meta.url), "utf8");
  expect(committed).toBe(renderDataContract());
});
