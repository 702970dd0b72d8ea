// Regenerates the documents that are derived from code.
import { writeFileSync } from "node:fs";
import { renderDataContract } from "../packages/core/src/contract/render-docs.ts";

writeFileSync(new URL("../docs/data-contract.md", import.meta.url), renderDataContract());
process.stderr.write("wrote docs/data-contract.md\n");
