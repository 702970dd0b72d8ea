/** Reporting and disclosure timeliness, from the count of filings made after their deadline. */
import { licensedInstitutionTypes } from "@beacon/core/contract/items";
import { thresholdRule } from "@beacon/core/rules/index";
import { maximumParams, toConfirm } from "./common.ts";
import { art, docs } from "./legal-basis.ts";

export const lateFilings = thresholdRule({
  id: "cn.gen.late_filings",
  version: 1,
  zh: "报告和信息披露及时性",
  en: "Timeliness of returns and disclosures",
  family: "disclosure",
  severity: "low",
  appliesTo: { types: licensedInstitutionTypes },
  effective: { from: "2017-01-01" },
  legalBasis: [art(docs.chongqingPlan, "Part 1(3)", "第一部分第（三）项")],
  leadUnit: "pbc_cq",
  params: maximumParams(
    "0",
    toConfirm(
      "Late filings tolerated per period",
      "每期可容忍的逾期报送件数",
      "No numeric standard in the digest; zero tolerance is a choice.",
    ),
  ),
  metric: "GEN_FILINGS_LATE",
  comparator: "<=",
  regulatory: "maximum",
  notes: [
    "Deadlines per return and per disclosure (listed and NEEQ companies) are record-level; intake or a detector counts the late ones into GEN_FILINGS_LATE.",
    "The lead unit is nominal: route by the institution's sector (sectorUnits) in the workflow.",
  ],
});

export const disclosureRules = [lateFilings];
