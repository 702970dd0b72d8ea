import { invalidInput } from "../errors.ts";
import { buildCsr, simplifyCsr } from "./csr.ts";
import { IdIndex } from "./id-index.ts";
import { UnionFind } from "./union-find.ts";

/** Columns of (entity, attribute, value) rows: row i says entity[i] has value[i] for attribute[i]. */
export interface AttributeRows {
  readonly entity: ArrayLike<string>;
  readonly attribute: ArrayLike<string>;
  readonly value: ArrayLike<string>;
}

export interface SharedAttributeOptions {
  /** A value held by more distinct entities than this links nobody and is reported as skipped. Default 50. */
  readonly maxDegree?: number;
  /** Per-attribute overrides of maxDegree, e.g. { hospital: 500, phone: 5 }. */
  readonly maxDegreeFor?: Readonly<Record<string, number>>;
  /** Smallest component to report. Default 2. */
  readonly minSize?: number;
}

/** One value shared by several entities of a component: the evidence that links them. */
export interface SharedValue {
  readonly attribute: string;
  readonly value: string;
  readonly entities: string[];
}

export interface SharedComponent {
  /** Members in order of first appearance in the input. */
  readonly entities: string[];
  /** Every value that links at least two members, in order of first appearance. */
  readonly links: SharedValue[];
}

export interface SkippedValue {
  readonly attribute: string;
  readonly value: string;
  /** Number of distinct entities holding the value. */
  readonly degree: number;
}

export interface SharedAttributeComponents {
  /** Largest first; ties in order of their first member. */
  readonly components: SharedComponent[];
  /** Values over their degree cap, most widely shared first. */
  readonly skipped: SkippedValue[];
}

/**
 * Groups entities that share any attribute value (phone, address, bank account, vehicle...), transitively:
 * the connected components of the entity-value graph, each with the shared values as evidence.
 * Values are compared within their attribute; empty values are ignored; over-shared values are skipped.
 */
export function sharedAttributeComponents(
  rows: AttributeRows,
  options: SharedAttributeOptions = {},
): SharedAttributeComponents {
  const rowCount = rows.entity.length;
  if (rows.attribute.length !== rowCount || rows.value.length !== rowCount) {
    throw invalidInput(
      `entity, attribute and value columns differ in length (${rowCount}, ${rows.attribute.length}, ${rows.value.length})`,
    );
  }
  const maxDegree = options.maxDegree ?? 50;
  const minSize = options.minSize ?? 2;
  const capFor = options.maxDegreeFor ?? {};

  const entities = new IdIndex();
  const attributes = new IdIndex();
  const keys = new IdIndex();
  const keyAttribute: string[] = [];
  const keyValue: string[] = [];
  const entityOf: number[] = [];
  const keyOf: number[] = [];
  for (let i = 0; i < rowCount; i++) {
    const value = rows.value[i]!;
    const entity = entities.intern(rows.entity[i]!);
    if (value === "") continue;
    const attribute = rows.attribute[i]!;
    // The attribute's number has no colon, so the pair key is unambiguous whatever the value holds.
    const before = keys.size;
    const key = keys.intern(`${attributes.intern(attribute)}:${value}`);
    if (keys.size > before) {
      keyAttribute.push(attribute);
      keyValue.push(value);
    }
    entityOf.push(entity);
    keyOf.push(key);
  }

  // value -> distinct entities, ascending (= order of first appearance).
  const holders = simplifyCsr(
    buildCsr(
      keys.size + entities.size,
      Int32Array.from(keyOf),
      Int32Array.from(entityOf, (e) => e + keys.size),
    ),
  );
  const base = keys.size;
  const uf = new UnionFind(entities.size);
  const linking: number[] = [];
  const skipped: SkippedValue[] = [];
  for (let k = 0; k < keys.size; k++) {
    const start = holders.offsets[k]!;
    const degree = holders.offsets[k + 1]! - start;
    if (degree < 2) continue;
    const cap = capFor[keyAttribute[k]!] ?? maxDegree;
    if (degree > cap) {
      skipped.push({ attribute: keyAttribute[k]!, value: keyValue[k]!, degree });
      continue;
    }
    linking.push(k);
    const first = holders.targets[start]! - base;
    for (let e = start + 1; e < start + degree; e++) uf.union(first, holders.targets[e]! - base);
  }

  const { componentOf, sizes, count } = uf.components();
  const byComponent: (SharedComponent | undefined)[] = new Array(count);
  for (let c = 0; c < count; c++) {
    if (sizes[c]! >= minSize) byComponent[c] = { entities: [], links: [] };
  }
  for (let v = 0; v < entities.size; v++) byComponent[componentOf[v]!]?.entities.push(entities.idOf(v));
  for (const k of linking) {
    const start = holders.offsets[k]!;
    const end = holders.offsets[k + 1]!;
    const component = byComponent[componentOf[holders.targets[start]! - base]!];
    if (component === undefined) continue;
    const holderIds: string[] = [];
    for (let e = start; e < end; e++) holderIds.push(entities.idOf(holders.targets[e]! - base));
    component.links.push({ attribute: keyAttribute[k]!, value: keyValue[k]!, entities: holderIds });
  }

  const components = byComponent.filter((c): c is SharedComponent => c !== undefined);
  // Components are already in order of first member; a stable sort by size keeps that for ties.
  components.sort((a, b) => b.entities.length - a.entities.length);
  skipped.sort((a, b) => b.degree - a.degree);
  return { components, skipped };
}
