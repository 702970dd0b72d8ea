import { checkpointHash, entryHash } from "./canonical.ts";
import { verifyInclusion } from "./merkle.ts";
import type { InclusionProof } from "./prove-entry.ts";

export interface CheckedProof {
  valid: boolean;
  problems: string[];
}

/** Checks an inclusion proof on its own (no database): entry hash, audit path to the root, checkpoint hash. */
export function checkProof(proof: InclusionProof): CheckedProof {
  const problems: string[] = [];
  const { entry, checkpoint } = proof;
  if (entryHash(entry) !== entry.hash) problems.push(`entry ${entry.seq}: content does not match its hash`);
  if (proof.leafIndex !== entry.seq - checkpoint.fromSeq)
    problems.push("leaf index does not match the entry number");
  if (proof.treeSize !== checkpoint.toSeq - checkpoint.fromSeq + 1)
    problems.push("tree size does not match the checkpoint");
  if (!verifyInclusion(entry.hash, proof.leafIndex, proof.treeSize, proof.path, checkpoint.root)) {
    problems.push(`the audit path does not lead to checkpoint ${checkpoint.id}'s root`);
  }
  if (checkpointHash(checkpoint) !== checkpoint.hash)
    problems.push(`checkpoint ${checkpoint.id} does not match its hash`);
  return { valid: problems.length === 0, problems };
}
