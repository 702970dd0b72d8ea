import type { FindingView } from "../api/shapes.ts";

export interface GraphNode {
  id: string;
  label: string;
  kind: "institution" | "member" | "identifier" | "subject";
}

export interface GraphEdge {
  source: string;
  target: string;
  label?: string;
  weight?: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

type Json = Record<string, unknown>;

/**
 * The picture of a finding: a guarantee circle's guarantees, a fraud ring's shared identifiers, a borrower's
 * lenders; any other finding as its subject linked to its members and institutions.
 */
export function graphOfFinding(f: FindingView, maxNodes = 150): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const add = (id: string, kind: GraphNode["kind"], label = id) => {
    if (!nodes.has(id) && nodes.size < maxNodes) nodes.set(id, { id, label, kind });
    return nodes.has(id);
  };
  const link = (a: string, b: string, label?: string, weight?: number) => {
    if (nodes.has(a) && nodes.has(b))
      edges.push({
        source: a,
        target: b,
        ...(label ? { label } : {}),
        ...(weight !== undefined ? { weight } : {}),
      });
  };
  const ev = f.evidence;
  const guarantees = Array.isArray(ev.guarantees) ? (ev.guarantees as Json[]) : null;
  const links = Array.isArray(ev.sharedIdentifiers) ? (ev.sharedIdentifiers as Json[]) : null;
  if (guarantees && guarantees.length > 0) {
    for (const g of guarantees) {
      const a = String(g.guarantor ?? "");
      const b = String(g.guaranteed ?? "");
      if (a && b && add(a, "member") && add(b, "member"))
        link(a, b, undefined, Number(g.amount) || undefined);
    }
    const lenders = Array.isArray(ev.lenderExposure) ? (ev.lenderExposure as Json[]) : [];
    for (const l of lenders.slice(0, 20)) add(String(l.lender), "institution");
  } else if (links && links.length > 0) {
    for (const m of f.members) add(m, "member");
    for (const l of links) {
      const id = `${String(l.attribute)}:${String(l.value)}`;
      if (!add(id, "identifier", String(l.attribute))) continue;
      for (const e of Array.isArray(l.entities) ? (l.entities as unknown[]) : []) {
        if (add(String(e), "member")) link(String(e), id);
      }
    }
  } else {
    const subject = f.subjectId ?? f.id;
    add(subject, "subject");
    for (const m of f.members) if (m !== subject && add(m, "member")) link(subject, m);
    for (const i of f.institutions) if (add(i, "institution")) link(subject, i);
  }
  return { nodes: [...nodes.values()], edges };
}
