/** postinstall: builds the beacon_intake DuckDB extension for this machine; without a C compiler intake still works. */
import { intakeExtension } from "../packages/core/src/lake/intake-extension.ts";

const result = intakeExtension();
console.error(
  "path" in result
    ? `beacon_intake extension built: ${result.path}`
    : `beacon_intake extension ${result.unavailable}; intake will check and hash in SQL (same results, slower)`,
);
