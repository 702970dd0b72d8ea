import { expect, test } from "vitest";
import { IdIndex, indexEdges } from "./id-index.ts";

test("IdIndex numbers ids densely in order of first appearance", () => {
  const index = new IdIndex();
  expect(index.intern("acct-9")).toBe(0);
  expect(index.intern("acct-3")).toBe(1);
  expect(index.intern("acct-9")).toBe(0);
  expect([...index.internAll(["acct-3", "acct-7", "acct-9"])]).toEqual([1, 2, 0]);
  expect(index.size).toBe(3);
  expect(index.indexOf("acct-7")).toBe(2);
  expect(index.indexOf("nope")).toBe(-1);
  expect(index.idOf(1)).toBe("acct-3");
  expect(index.ids()).toEqual(["acct-9", "acct-3", "acct-7"]);
  expect(() => index.idOf(3)).toThrow(RangeError);
});

test("indexEdges interns both endpoint columns into one index", () => {
  const { index, src, dst } = indexEdges(["a", "b", "c"], ["b", "c", "a"]);
  expect([...src]).toEqual([0, 1, 2]);
  expect([...dst]).toEqual([1, 2, 0]);
  expect(index.ids()).toEqual(["a", "b", "c"]);
});
