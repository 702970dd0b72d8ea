/** The China catalog: the entity rules of the pack and its record-level rules, versioned together. */
import { defineCatalog, type RuleCatalog } from "@beacon/core/rules/catalog";
import { chinaPack } from "./index.ts";
import { chinaRecordRules } from "./record/index.ts";

export const chinaCatalog: RuleCatalog = defineCatalog("china", chinaPack, chinaRecordRules);
