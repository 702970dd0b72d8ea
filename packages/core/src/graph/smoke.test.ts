import { expect, test } from "vitest";

test("vitest runs on node 24 with type stripping", () => {
  expect(Number.parseInt(process.versions.node, 10)).toBeGreaterThanOrEqual(24);
});
