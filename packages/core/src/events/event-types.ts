import { type Sector, type SupervisoryUnit, sectorUnits } from "../contract/institution-types.ts";

interface EventType {
  en: string;
  zh: string;
  /** Hours from occurrence within which the first report is due. */
  reportHours: number;
  /** Days between follow-up reports while the event is open. */
  followUpDays: number;
  /** Hours each level of the chain has to acknowledge before the event escalates by itself. */
  ackHours: number;
  /** The emergency playbook: steps to tick off, in order. */
  playbook: readonly { step: string; text: string }[];
}

const common = {
  verify: { step: "verify", text: "Verify the facts, scale and people affected with the institution" },
  report: {
    step: "report_government",
    text: "Report to the municipal government's financial stability group",
  },
  communicate: {
    step: "public_communication",
    text: "Agree public communication and monitor public opinion",
  },
  close: { step: "final_report", text: "File the final report with causes, losses and lessons" },
} as const;

/** Major-risk event types with their reporting deadlines and emergency playbooks. */
export const eventTypes = {
  liquidity_run: {
    en: "Run on deposits or redemptions",
    zh: "挤兑或集中赎回",
    reportHours: 2,
    followUpDays: 1,
    ackHours: 4,
    playbook: [
      common.verify,
      { step: "contingency_plan", text: "Have the institution activate its liquidity contingency plan" },
      { step: "liquidity_support", text: "Assess central-bank liquidity support and interbank lines" },
      { step: "cash_logistics", text: "Secure cash logistics and extend counter hours" },
      common.communicate,
      common.report,
      { step: "daily_monitoring", text: "Monitor withdrawals daily until they are back to normal" },
      common.close,
    ],
  },
  illegal_fundraising: {
    en: "Illegal fund-raising",
    zh: "非法集资",
    reportHours: 24,
    followUpDays: 3,
    ackHours: 24,
    playbook: [
      common.verify,
      { step: "freeze_assets", text: "Ask public security to secure funds and assets" },
      { step: "investor_register", text: "Register investors and amounts owed" },
      { step: "stop_promotion", text: "Stop promotion and sales at every outlet" },
      common.communicate,
      common.report,
      common.close,
    ],
  },
  product_default: {
    en: "Default on a product, bond or payment",
    zh: "产品或债券兑付风险",
    reportHours: 24,
    followUpDays: 3,
    ackHours: 24,
    playbook: [
      common.verify,
      { step: "holders", text: "List holders and sales channels, including bank-sold products" },
      { step: "repayment_plan", text: "Obtain the issuer's repayment or restructuring plan" },
      { step: "cross_market", text: "Check exposures of other institutions (cross-market contagion)" },
      common.communicate,
      common.report,
      common.close,
    ],
  },
  fraud_case: {
    en: "Major fraud or criminal case",
    zh: "重大案件",
    reportHours: 24,
    followUpDays: 7,
    ackHours: 24,
    playbook: [
      common.verify,
      { step: "preserve_evidence", text: "Preserve records and evidence; suspend staff involved" },
      { step: "refer_police", text: "Refer to public security" },
      { step: "loss_estimate", text: "Estimate losses and customers affected" },
      common.report,
      common.close,
    ],
  },
  mass_incident: {
    en: "Mass petition or gathering",
    zh: "群体性事件",
    reportHours: 2,
    followUpDays: 1,
    ackHours: 4,
    playbook: [
      common.verify,
      { step: "on_site", text: "Send staff on site and coordinate with public security" },
      { step: "claims", text: "Record the claims and who makes them" },
      common.communicate,
      common.report,
      common.close,
    ],
  },
  operational_outage: {
    en: "System outage or cyber incident",
    zh: "重大运营中断或网络安全事件",
    reportHours: 4,
    followUpDays: 1,
    ackHours: 8,
    playbook: [
      common.verify,
      { step: "continuity", text: "Confirm business continuity arrangements are running" },
      { step: "data_integrity", text: "Confirm customer data and balances are intact" },
      common.communicate,
      common.close,
    ],
  },
  public_opinion: {
    en: "Adverse public opinion",
    zh: "重大负面舆情",
    reportHours: 12,
    followUpDays: 2,
    ackHours: 12,
    playbook: [common.verify, common.communicate, common.report, common.close],
  },
  institution_failure: {
    en: "Institution failure, exit or takeover",
    zh: "机构风险处置",
    reportHours: 24,
    followUpDays: 3,
    ackHours: 24,
    playbook: [
      common.verify,
      { step: "resolution_plan", text: "Agree the resolution plan (merger, takeover, exit)" },
      { step: "protect_depositors", text: "Protect depositors, policyholders and investors" },
      common.communicate,
      common.report,
      common.close,
    ],
  },
} as const satisfies Record<string, EventType>;

export type EventTypeCode = keyof typeof eventTypes;
export const eventTypeCodes = Object.keys(eventTypes) as EventTypeCode[];

/** The highest level of the escalation chain. */
export const topLevel = 2;

/**
 * Units that must acknowledge an event at each level: the sector's leading units, then its coordinating units,
 * then the municipal finance office and the central bank's office (financial stability).
 */
export function escalationChain(sector: Sector): SupervisoryUnit[][] {
  const lead = [...sectorUnits[sector].lead];
  const coordinate = sectorUnits[sector].coordinate.filter((u) => !lead.includes(u));
  const seen = new Set([...lead, ...coordinate]);
  const top = (["finance_office", "pbc_cq"] as const).filter((u) => !seen.has(u));
  return [lead, coordinate, top];
}

/** The level an event starts at: larger ones skip straight up the chain. */
export function initialLevel(amount: string | null, people: number | null): number {
  const yuan = amount ? Number(amount) : 0;
  if (yuan >= 1e9 || (people ?? 0) >= 10_000) return 2;
  if (yuan >= 1e8 || (people ?? 0) >= 1_000) return 1;
  return 0;
}
