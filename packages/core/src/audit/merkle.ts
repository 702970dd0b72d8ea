import { createHash } from "node:crypto";

// RFC 9162 (Certificate Transparency v2) tree: leaves and inner nodes hashed with distinct prefixes, so a
// leaf can never be passed off as a node; the split is the largest power of two below the size.

const sha = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const leaf = (hex: string) => sha(Buffer.from([0]), Buffer.from(hex, "hex"));
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function root(leaves: readonly string[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return leaf(leaves[from]!);
  const k = split(n);
  return node(root(leaves, from, from + k), root(leaves, from + k, to));
}

/** The Merkle root (hex) over leaf values given as hex digests. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) throw new Error("a Merkle tree needs at least one leaf");
  return root(leaves, 0, leaves.length).toString("hex");
}

/** The audit path of leaf `index`: the sibling subtree roots from the leaf upwards. */
export function inclusionPath(leaves: readonly string[], index: number): string[] {
  if (index < 0 || index >= leaves.length)
    throw new Error(`leaf ${index} is outside a tree of ${leaves.length}`);
  const path: string[] = [];
  const walk = (from: number, to: number, m: number) => {
    const n = to - from;
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      walk(from, from + k, m);
      path.push(root(leaves, from + k, to).toString("hex"));
    } else {
      walk(from + k, to, m - k);
      path.push(root(leaves, from, from + k).toString("hex"));
    }
  };
  walk(0, leaves.length, index);
  return path;
}

/** Recomputes the root from a leaf and its audit path (RFC 9162, 2.1.3.2); true when it is `expectedRoot`. */
export function verifyInclusion(
  leafValue: string,
  index: number,
  size: number,
  path: readonly string[],
  expectedRoot: string,
): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf(leafValue);
  for (const p of path) {
    if (sn === 0) return false;
    const sibling = Buffer.from(p, "hex");
    if (fn % 2 === 1 || fn === sn) {
      r = node(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = node(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString("hex") === expectedRoot;
}
