import { type Column, type CrossFieldRule, col } from "./columns.ts";
import { type InstitutionType, institutionTypeCodes } from "./institution-types.ts";
import { insurerRiskGrades } from "./items.ts";

/** Where a dataset lands: the registry and returns in PostgreSQL, granular datasets in the Parquet lake. */
export type DatasetKind = "registry" | "returns" | "granular";

export interface Dataset {
  name: string;
  zh: string;
  en: string;
  description: string;
  kind: DatasetKind;
  columns: Column[];
  /**
   * No two rows of an intake may share it. A snapshot (the book at period end: loans, policies, holdings, ...)
   * includes `period`, because the same loan is in every month's snapshot; an event's id (a sale, a claim) is
   * unique for its reporter across periods, so its key leaves `period` out and a repeat in another period is a
   * duplicate, in the same intake or in a stored submission of another period (intake/stored-keys.ts). Period
   * sits in the key, not in a separate snapshot flag, so that every reader of the key (intake's duplicate checks,
   * the docs) scopes it the same way without knowing about snapshots.
   */
  primaryKey: string[];
  /** The reporting institution's column: a submission is one reporter's rows for one period. */
  reporter: string | null;
  /** Institution types whose licence covers this dataset. */
  reporterTypes: readonly InstitutionType[];
  crossField: CrossFieldRule[];
}

const banks: InstitutionType[] = ["bank"];
const lenders: InstitutionType[] = [
  "bank",
  "trust",
  "small_loan",
  "online_small_loan",
  "financial_leasing",
  "pawn",
  "commercial_factoring",
  "internet_lending_platform",
  "local_amc",
];
const insurers: InstitutionType[] = ["life_insurer", "pc_insurer"];
const productManagers: InstitutionType[] = [
  "bank",
  "trust",
  "securities_firm",
  "futures_firm",
  "public_fund_manager",
  "private_fund_manager",
  "life_insurer",
  "pc_insurer",
];
const sellers: InstitutionType[] = [...productManagers, "investment_consulting"];
const everyone = institutionTypeCodes;
const offices: InstitutionType[] = ["supervisory_office"];
const fiveCategories = ["normal", "special_mention", "substandard", "doubtful", "loss"] as const;
const riskClasses = ["C1", "C2", "C3", "C4", "C5"] as const;
const productRisks = ["R1", "R2", "R3", "R4", "R5"] as const;

const institutions: Dataset = {
  name: "institutions",
  zh: "机构名录",
  en: "Institution registry",
  description:
    "Every supervised institution and company under watch, keyed by its Unified Social Credit Code.",
  kind: "registry",
  reporter: null,
  reporterTypes: everyone,
  primaryKey: ["code"],
  columns: [
    col.creditCode("code", "Unified Social Credit Code (GB 32100-2015)."),
    col.name("name_zh", "Registered name in Chinese."),
    col.name("name_en", "Name in English."),
    col.oneOf("type", institutionTypeCodes, "Institution type."),
    col.name("district", "District or county of registration."),
    col.int("bank_tier", "Real-estate concentration tier 1-5 (banks only).", false, 1, 5),
    col.money("total_assets", "Total assets at the last year end.", false),
    col.creditCode("parent_code", "Parent institution's credit code.", false),
    col.creditCode("group_code", "Group head's credit code.", false),
    col.oneOf("status", ["active", "under_watch", "exited", "taken_over", "revoked"], "Registry status."),
  ],
  crossField: [
    {
      kind: "required_when",
      column: "bank_tier",
      when: { column: "type", equals: "bank" },
      message: "a bank needs its bank_tier",
    },
    {
      kind: "required_when",
      column: "total_assets",
      when: { column: "type", equals: "bank" },
      message: "a bank needs total_assets",
    },
    {
      kind: "forbidden_when",
      column: "bank_tier",
      when: { column: "type", equals: "!bank" },
      message: "only banks have a bank_tier",
    },
  ],
};

const licences: Dataset = {
  name: "licences",
  zh: "牌照",
  en: "Licences",
  description: "Licences held by institutions: number, kind, dates and status.",
  kind: "registry",
  reporter: null,
  reporterTypes: everyone,
  primaryKey: ["licence_no"],
  columns: [
    col.id("licence_no", "Licence number."),
    col.institution("institution_code", "Licence holder."),
    col.oneOf("kind", institutionTypeCodes, "The business the licence permits (an institution type)."),
    col.date("issued_on", "Date of issue."),
    col.date("expires_on", "Expiry date; empty for licences without term.", false),
    col.oneOf("status", ["active", "suspended", "revoked", "expired"], "Licence status."),
    col.date(
      "status_since",
      "Date the status took effect (revocation, suspension or expiry); required unless active.",
      false,
    ),
  ],
  crossField: [
    {
      kind: "date_after",
      later: "status_since",
      earlier: "issued_on",
      message: "status_since must be after issued_on",
    },
    {
      kind: "required_when",
      column: "status_since",
      when: { column: "status", equals: "!active" },
      message: "a licence that is not active needs status_since",
    },
    {
      kind: "date_after",
      later: "expires_on",
      earlier: "issued_on",
      message: "expires_on must be after issued_on",
    },
  ],
};

const returns: Dataset = {
  name: "returns",
  zh: "监管报表",
  en: "Periodic returns",
  description:
    "Periodic returns as long-format facts: one row per institution, period and item of the item dictionary.",
  kind: "returns",
  reporter: "institution_code",
  reporterTypes: everyone.filter((t) => t !== "watched_company"),
  primaryKey: ["institution_code", "period", "item"],
  columns: [
    col.institution("institution_code", "Reporting institution."),
    col.period(),
    {
      name: "item",
      type: { kind: "string", maxLength: 64, pattern: "^[A-Z][A-Z0-9_]+$" },
      required: true,
      description: "Item code from the item dictionary.",
    },
    {
      name: "value",
      type: { kind: "decimal", scale: 6, precision: 38, grades: insurerRiskGrades },
      required: true,
      description:
        "Value in the item's unit: an exact decimal, or for an item whose unit is grade one of the grades (letters).",
    },
    col.oneOf(
      "unit",
      ["CNY", "ratio", "count", "grade", "flag", "days"],
      "Unit; must match the item dictionary.",
    ),
  ],
  crossField: [],
};

const loans: Dataset = {
  name: "loans",
  zh: "贷款明细",
  en: "Loans",
  description:
    "Loan-level book at period end, with every fee and the repayment terms needed to compute the borrower's true annual rate.",
  kind: "granular",
  reporter: "lender_code",
  reporterTypes: lenders,
  primaryKey: ["lender_code", "period", "loan_id"],
  columns: [
    col.id("loan_id", "Lender's loan identifier."),
    col.institution("lender_code", "Lending institution."),
    col.period(),
    col.oneOf("borrower_type", ["individual", "enterprise"], "Natural person or legal person."),
    col.personal(
      "borrower_id",
      "resident_id",
      "Individual borrower's resident identity number (ISO 7064 MOD 11-2).",
      false,
    ),
    col.creditCode("borrower_code", "Enterprise borrower's credit code.", false),
    col.money(
      "borrower_annual_income",
      "Individual borrower's average annual income over three years, where known.",
      false,
    ),
    col.money("principal", "Amount contracted."),
    col.money("outstanding", "Balance outstanding at period end."),
    col.date("origination_date", "Date of disbursement."),
    col.date("maturity_date", "Contractual maturity."),
    col.rate("nominal_rate", "Nominal annual interest rate stated in the contract."),
    col.money(
      "upfront_fee",
      "Fees deducted from the amount disbursed (service, consultation, guarantee fees taken at start).",
    ),
    col.money("periodic_fee", "Fees charged with every instalment (monthly service or account fees)."),
    col.money("other_fees", "Any other fee the borrower pays, charged at maturity."),
    col.oneOf(
      "repayment_method",
      ["bullet", "equal_instalment", "equal_principal", "interest_only"],
      "Repayment method.",
    ),
    col.int("term_months", "Term in months.", true, 1, 600),
    col.institution("joint_partner_code", "Joint-lending partner.", false),
    col.share("partner_share", "Partner's funding share of a joint loan.", false),
    col.oneOf("classification", fiveCategories, "Five-category classification."),
    col.name("industry", "Industry code (GB/T 4754 section letter).", false),
    col.bool("real_estate", "Real-estate lending (development or personal mortgage)."),
    col.bool("mortgage", "Personal housing mortgage."),
    col.bool("lgfv", "Borrower is a local-government financing vehicle."),
  ],
  crossField: [
    {
      kind: "lte",
      left: "outstanding",
      right: "principal",
      message: "outstanding must not exceed principal",
    },
    {
      kind: "date_after",
      later: "maturity_date",
      earlier: "origination_date",
      message: "maturity_date must be after origination_date",
    },
    {
      kind: "lte",
      left: "upfront_fee",
      right: "principal",
      message: "upfront_fee must not exceed principal",
    },
    {
      kind: "required_when",
      column: "borrower_id",
      when: { column: "borrower_type", equals: "individual" },
      message: "an individual borrower needs borrower_id",
    },
    {
      kind: "required_when",
      column: "borrower_code",
      when: { column: "borrower_type", equals: "enterprise" },
      message: "an enterprise borrower needs borrower_code",
    },
    {
      kind: "forbidden_when",
      column: "borrower_id",
      when: { column: "borrower_type", equals: "enterprise" },
      message: "an enterprise borrower has no resident id",
    },
    {
      kind: "required_when",
      column: "partner_share",
      when: { column: "joint_partner_code", equals: "*" },
      message: "a joint loan needs partner_share",
    },
  ],
};

const guarantees: Dataset = {
  name: "guarantees",
  zh: "担保明细",
  en: "Guarantees",
  description:
    "Guarantees in force at period end securing loans: who guarantees whom, for how much, linked to the lender's loan.",
  kind: "granular",
  reporter: "reporter_code",
  reporterTypes: [...lenders, "financing_guarantee"],
  primaryKey: ["reporter_code", "period", "guarantee_id"],
  columns: [
    col.id("guarantee_id", "Reporter's guarantee identifier."),
    col.institution("reporter_code", "Lender or guarantee company reporting."),
    col.period(),
    col.creditCode("guarantor_code", "Guarantor's credit code."),
    col.creditCode("guaranteed_code", "Guaranteed borrower's credit code."),
    col.ref("loan_id", "The guaranteed loan at the reporter, if any.", false),
    col.money("amount", "Guaranteed amount."),
    col.oneOf("kind", ["joint_liability", "general", "mortgage", "pledge"], "Kind of guarantee."),
    col.date("start_date", "Start of the guarantee."),
    col.date("end_date", "End of the guarantee."),
    col.bool("related_party", "Guaranteed party is related to the guarantor."),
  ],
  crossField: [
    {
      kind: "date_after",
      later: "end_date",
      earlier: "start_date",
      message: "end_date must be after start_date",
    },
  ],
};

const exposures: Dataset = {
  name: "exposures",
  zh: "机构间敞口",
  en: "Exposures between institutions",
  description:
    "What each institution is owed by each other institution: lending, deposits, repo, bonds and product channels.",
  kind: "granular",
  reporter: "lender_code",
  reporterTypes: everyone.filter((t) => t !== "watched_company" && t !== "supervisory_office"),
  primaryKey: ["lender_code", "period", "exposure_id"],
  columns: [
    col.id("exposure_id", "Reporter's exposure identifier."),
    col.institution("lender_code", "Creditor: the institution that is owed."),
    col.period(),
    col.institution("borrower_code", "Debtor institution."),
    col.oneOf(
      "exposure_type",
      ["interbank_lending", "deposit", "repo", "bond_holding", "product_channel", "equity"],
      "Channel.",
    ),
    col.money("amount", "Exposure at period end."),
    col.date("maturity_date", "Maturity, if any.", false),
  ],
  crossField: [],
};

const products: Dataset = {
  name: "products",
  zh: "资管产品",
  en: "Asset-management products",
  description: "Asset-management products with their structure, tiering and balance sheet at period end.",
  kind: "granular",
  reporter: "manager_code",
  reporterTypes: productManagers,
  primaryKey: ["manager_code", "period", "product_id"],
  columns: [
    col.id("product_id", "Product identifier (registration code)."),
    col.institution("manager_code", "Managing institution."),
    col.period(),
    col.name("name", "Product name."),
    col.oneOf(
      "product_type",
      [
        "bank_wmp",
        "trust_plan",
        "securities_am",
        "futures_am",
        "fund_special",
        "public_fund",
        "private_fund",
        "insurance_am",
      ],
      "Product type.",
    ),
    col.oneOf("offering", ["public", "private"], "Public or private offering."),
    col.bool("open_ended", "Open-ended product."),
    col.bool("tiered", "Structured into priority and subordinated tranches."),
    col.money("priority_amount", "Priority tranche (mezzanine counts as priority).", false),
    col.money("subordinated_amount", "Subordinated tranche.", false),
    col.oneOf(
      "asset_class",
      ["fixed_income", "equity", "commodity_derivative", "mixed"],
      "Investment class.",
    ),
    col.money("total_assets", "Total assets."),
    col.money("net_assets", "Net assets."),
    col.money("repo_financing", "Financing through repo."),
    col.bool("guaranteed_return", "Principal or return promised (rigid redemption signal)."),
    col.rate("promised_rate", "Promised or expected return.", false),
    col.oneOf("risk_level", productRisks, "Product risk level."),
    col.ref("filing_id", "Filing in the innovation ledger.", false),
  ],
  crossField: [
    {
      kind: "lte",
      left: "net_assets",
      right: "total_assets",
      message: "net_assets must not exceed total_assets",
    },
    {
      kind: "required_when",
      column: "priority_amount",
      when: { column: "tiered", equals: "true" },
      message: "a tiered product needs priority_amount",
    },
    {
      kind: "required_when",
      column: "subordinated_amount",
      when: { column: "tiered", equals: "true" },
      message: "a tiered product needs subordinated_amount",
    },
  ],
};

const productHoldings: Dataset = {
  name: "product_holdings",
  zh: "产品持仓",
  en: "Product holdings",
  description:
    "What each product holds, including other products (for nesting and look-through) and equity stakes with fixed returns.",
  kind: "granular",
  reporter: "manager_code",
  reporterTypes: productManagers,
  primaryKey: ["manager_code", "period", "holding_id"],
  columns: [
    col.id("holding_id", "Holding identifier."),
    col.institution("manager_code", "Manager of the holding product."),
    col.period(),
    col.ref("product_id", "Holding product."),
    col.oneOf(
      "asset_kind",
      ["product", "bond", "stock", "deposit", "loan", "equity_stake", "bill", "other"],
      "Asset kind.",
    ),
    col.ref("asset_product_id", "Held product, when asset_kind is product.", false),
    col.creditCode("issuer_code", "Issuer or investee credit code.", false),
    col.money("market_value", "Market value."),
    col.bool("fixed_return", "Carries a fixed return (disguised-debt signal for equity stakes)."),
    col.bool("buy_back", "Carries a buy-back or put term (disguised-debt signal)."),
  ],
  crossField: [
    {
      kind: "required_when",
      column: "asset_product_id",
      when: { column: "asset_kind", equals: "product" },
      message: "a product holding needs asset_product_id",
    },
  ],
};

const productFilings: Dataset = {
  name: "product_filings",
  zh: "金融创新备案",
  en: "Product filings",
  description:
    "The financial-innovation filing ledger at period end: products filed by institutions, and agency authorisations.",
  kind: "granular",
  reporter: "institution_code",
  reporterTypes: sellers,
  primaryKey: ["institution_code", "period", "filing_id"],
  columns: [
    col.id("filing_id", "Filing number."),
    col.institution("institution_code", "Filing institution (issuer or authorised agent)."),
    col.period(),
    col.ref("product_id", "Product filed."),
    col.institution("issuer_code", "Product issuer."),
    col.oneOf(
      "role",
      ["issuer", "agent"],
      "Whether the filer issues the product or sells it as authorised agent.",
    ),
    col.date("filed_on", "Filing date."),
    col.oneOf("risk_level", productRisks, "Product risk level."),
    col.oneOf("status", ["filed", "withdrawn"], "Filing status."),
  ],
  crossField: [],
};

const riskAssessments: Dataset = {
  name: "risk_assessments",
  zh: "客户风险测评",
  en: "Customer risk assessments",
  description: "Customers' suitability assessments (C1-C5) in force at period end.",
  kind: "granular",
  reporter: "institution_code",
  reporterTypes: sellers,
  primaryKey: ["institution_code", "period", "customer_id", "assessed_on"],
  columns: [
    col.institution("institution_code", "Assessing institution."),
    col.period(),
    col.personal("customer_id", "resident_id", "Customer's resident identity number."),
    col.date("assessed_on", "Assessment date."),
    col.oneOf("risk_class", riskClasses, "Investor class C1 (conservative) to C5 (aggressive)."),
    col.bool("lowest_category", "Customer is in the lowest-risk-tolerance subset of C1."),
    col.bool("professional", "Professional investor."),
  ],
  crossField: [],
};

const sales: Dataset = {
  name: "sales",
  zh: "产品销售",
  en: "Product sales",
  description:
    "Sales of wealth-management, agency and insurance products, with the seller and the dual-recording reference.",
  kind: "granular",
  reporter: "institution_code",
  reporterTypes: sellers,
  primaryKey: ["institution_code", "sale_id"],
  columns: [
    col.id("sale_id", "Sale identifier."),
    col.institution("institution_code", "Selling institution."),
    col.period(),
    col.personal("customer_id", "resident_id", "Customer's resident identity number."),
    col.ref("product_id", "Product sold."),
    col.creditCode("issuer_code", "Product issuer."),
    col.oneOf("product_risk", productRisks, "Product risk level."),
    col.ref("employee_id", "Selling employee."),
    col.ref("branch_id", "Branch or outlet."),
    col.date("sale_date", "Date of sale."),
    col.money("amount", "Amount."),
    col.oneOf("channel", ["counter", "online", "mobile", "agent"], "Sales channel."),
    col.bool("retail", "Sale to a retail (non-professional) customer."),
    col.ref("recording_ref", "Audio-video recording reference (dual recording).", false),
    col.bool("warning_signed", "Customer signed a written warning for an above-level purchase."),
  ],
  crossField: [],
};

const policies: Dataset = {
  name: "policies",
  zh: "保单",
  en: "Insurance policies",
  description: "Insurance policies in force at period end.",
  kind: "granular",
  reporter: "insurer_code",
  reporterTypes: insurers,
  primaryKey: ["insurer_code", "period", "policy_id"],
  columns: [
    col.id("policy_id", "Policy number."),
    col.institution("insurer_code", "Insurer."),
    col.period(),
    col.personal("holder_id", "resident_id", "Policyholder's resident identity number."),
    col.oneOf(
      "product_kind",
      [
        "universal_life",
        "annuity",
        "whole_life",
        "endowment",
        "term_life",
        "health",
        "accident",
        "auto",
        "property",
      ],
      "Product kind.",
    ),
    col.date("start_date", "Policy start."),
    col.date("end_date", "Policy end.", false),
    col.money("annual_premium", "Annual premium."),
    col.money("sum_insured", "Sum insured."),
    col.oneOf("channel", ["agent", "bancassurance", "internet", "direct"], "Distribution channel."),
  ],
  crossField: [
    {
      kind: "date_after",
      later: "end_date",
      earlier: "start_date",
      message: "end_date must be after start_date",
    },
  ],
};

const surrenders: Dataset = {
  name: "surrenders",
  zh: "退保",
  en: "Surrenders",
  description: "Policy surrenders paid in the period.",
  kind: "granular",
  reporter: "insurer_code",
  reporterTypes: ["life_insurer"],
  primaryKey: ["insurer_code", "surrender_id"],
  columns: [
    col.id("surrender_id", "Surrender identifier."),
    col.institution("insurer_code", "Insurer."),
    col.period(),
    col.ref("policy_id", "Policy surrendered."),
    col.date("paid_on", "Payment date."),
    col.money("amount", "Cash value paid."),
  ],
  crossField: [],
};

const maturityBenefits: Dataset = {
  name: "maturity_benefits",
  zh: "满期给付",
  en: "Maturity benefits",
  description: "Maturity benefits paid in the period.",
  kind: "granular",
  reporter: "insurer_code",
  reporterTypes: ["life_insurer"],
  primaryKey: ["insurer_code", "payment_id"],
  columns: [
    col.id("payment_id", "Payment identifier."),
    col.institution("insurer_code", "Insurer."),
    col.period(),
    col.ref("policy_id", "Policy."),
    col.date("paid_on", "Payment date."),
    col.money("amount", "Amount paid."),
  ],
  crossField: [],
};

const claims: Dataset = {
  name: "claims",
  zh: "理赔",
  en: "Insurance claims",
  description: "Claims with the claimant's contact identifiers, for the anti-fraud clue platform.",
  kind: "granular",
  reporter: "insurer_code",
  reporterTypes: insurers,
  primaryKey: ["insurer_code", "claim_id"],
  columns: [
    col.id("claim_id", "Claim number."),
    col.institution("insurer_code", "Insurer."),
    col.period(),
    col.ref("policy_id", "Policy claimed on."),
    col.date("policy_start", "Start of the policy claimed on."),
    col.personal("claimant_id", "resident_id", "Claimant's resident identity number."),
    col.personal("claimant_phone", "phone", "Claimant's mobile number."),
    col.personal("claimant_address", "address", "Claimant's address."),
    col.personal("payee_account", "bank_card", "Bank card receiving the payment."),
    col.personal("vehicle_plate", "vehicle", "Vehicle plate (motor claims).", false),
    col.ref("hospital_id", "Hospital (health claims).", false),
    col.date("incident_date", "Date of the insured event."),
    col.date("claim_date", "Date of the claim."),
    col.money("amount", "Amount claimed."),
    col.money("paid", "Amount paid.", false),
    col.oneOf("status", ["open", "paid", "rejected"], "Claim status."),
  ],
  crossField: [
    {
      kind: "date_after",
      later: "claim_date",
      earlier: "incident_date",
      message: "claim_date must not be before incident_date",
      allowEqual: true,
    },
  ],
};

const bills: Dataset = {
  name: "bills",
  zh: "票据",
  en: "Bills",
  description:
    "Commercial drafts accepted or discounted and outstanding at period end, with the placement of discount proceeds.",
  kind: "granular",
  reporter: "bank_code",
  reporterTypes: banks,
  primaryKey: ["bank_code", "period", "bill_id"],
  columns: [
    col.id("bill_id", "Bill number."),
    col.institution("bank_code", "Reporting bank (acceptor or discounter)."),
    col.period(),
    col.oneOf("role", ["acceptor", "discounter"], "The reporting bank's role."),
    col.creditCode("drawer_code", "Drawer."),
    col.creditCode("payee_code", "Payee."),
    col.date("issue_date", "Issue date."),
    col.date("maturity_date", "Maturity date."),
    col.money("face_amount", "Face amount."),
    col.money("margin_amount", "Acceptance margin deposited.", false),
    col.date("discount_date", "Discount date.", false),
    col.rate("discount_rate", "Annual discount rate.", false),
    col.oneOf(
      "proceeds_placement",
      ["none", "demand_deposit", "time_deposit", "structured_deposit", "wmp"],
      "Where the discount proceeds were placed at the bank.",
      false,
    ),
    col.rate("placement_rate", "Annual rate earned on the placement.", false),
  ],
  crossField: [
    {
      kind: "date_after",
      later: "maturity_date",
      earlier: "issue_date",
      message: "maturity_date must be after issue_date",
    },
  ],
};

const billEndorsements: Dataset = {
  name: "bill_endorsements",
  zh: "票据背书",
  en: "Bill endorsements",
  description: "Endorsement chain of the bills outstanding at period end.",
  kind: "granular",
  reporter: "bank_code",
  reporterTypes: banks,
  primaryKey: ["bank_code", "period", "bill_id", "sequence"],
  columns: [
    col.institution("bank_code", "Reporting bank."),
    col.period(),
    col.ref("bill_id", "Bill."),
    col.int("sequence", "Position in the chain, from 1.", true, 1),
    col.creditCode("endorser_code", "Endorser."),
    col.creditCode("endorsee_code", "Endorsee."),
    col.date("endorsed_on", "Date."),
  ],
  crossField: [],
};

const venueListings: Dataset = {
  name: "venue_listings",
  zh: "交易场所挂牌",
  en: "Trading-venue listings",
  description: "Products listed on local trading venues at period end and how they trade.",
  kind: "granular",
  reporter: "venue_code",
  reporterTypes: ["trading_venue"],
  primaryKey: ["venue_code", "period", "listing_id"],
  columns: [
    col.id("listing_id", "Listing code."),
    col.institution("venue_code", "Venue."),
    col.period(),
    col.name("product_name", "Product."),
    col.oneOf("category", ["equity", "commodity", "asset", "financial_asset", "other"], "Category."),
    col.oneOf(
      "trading_mode",
      ["negotiated", "auction", "call_auction", "continuous_auction", "electronic_matching", "market_making"],
      "Trading mode.",
    ),
    col.bool("standardised", "Listed in standardised, equal units."),
    col.bool("leverage", "Leverage (margin) trading offered."),
    col.bool("fund_pool", "Investor funds pooled without segregation."),
    col.bool("deposit_taking", "Solicits deposits or promises fixed interest."),
    col.bool("lending_intermediary", "Online lending intermediary business."),
    col.int("units_issued", "Units issued.", true, 1),
  ],
  crossField: [],
};

const venueTrades: Dataset = {
  name: "venue_trades",
  zh: "交易场所成交",
  en: "Trading-venue trades",
  description: "Trades on local trading venues with holders, margin and delivery.",
  kind: "granular",
  reporter: "venue_code",
  reporterTypes: ["trading_venue"],
  primaryKey: ["venue_code", "trade_id"],
  columns: [
    col.id("trade_id", "Trade identifier."),
    col.institution("venue_code", "Venue."),
    col.period(),
    col.ref("listing_id", "Listing traded."),
    col.personal("buyer_id", "customer_ref", "Buyer's account at the venue."),
    col.personal("seller_id", "customer_ref", "Seller's account at the venue."),
    col.date("trade_date", "Trade date."),
    col.int("quantity", "Units.", true, 1),
    {
      name: "price",
      type: { kind: "decimal", scale: 4, min: "0" },
      required: true,
      description: "Price per unit, yuan.",
    },
    col.money("margin", "Margin posted (leverage trading)."),
    col.oneOf("settlement", ["spot_delivery", "cash"], "Settlement by physical delivery or in cash."),
  ],
  crossField: [],
};

const venueHoldings: Dataset = {
  name: "venue_holdings",
  zh: "交易场所持有人",
  en: "Trading-venue holders",
  description:
    "Holders of each listing at period end, with the underlying holders behind nominees and trusts.",
  kind: "granular",
  reporter: "venue_code",
  reporterTypes: ["trading_venue"],
  primaryKey: ["venue_code", "period", "listing_id", "holder_id"],
  columns: [
    col.institution("venue_code", "Venue."),
    col.period(),
    col.ref("listing_id", "Listing."),
    col.personal("holder_id", "customer_ref", "Holder account."),
    col.int(
      "underlying_holders",
      "Actual holders behind this account after look-through (1 for a person).",
      true,
      1,
    ),
    col.int("quantity", "Units held.", true, 0),
    col.bool("qualified_investor", "Holder verified as a qualified investor."),
    col.bool("funds_source_checked", "Source of funds reviewed."),
  ],
  crossField: [],
};

const bondMaturities: Dataset = {
  name: "bond_maturities",
  zh: "债券到期",
  en: "Bond maturities",
  description: "Bonds of issuers in the province outstanding at period end, with their maturity dates.",
  kind: "granular",
  reporter: "reporter_code",
  reporterTypes: ["securities_firm", "bank"],
  primaryKey: ["reporter_code", "period", "bond_id"],
  columns: [
    col.id("bond_id", "Bond code."),
    col.institution("reporter_code", "Reporting institution (underwriter or trustee)."),
    col.period(),
    col.creditCode("issuer_code", "Issuer."),
    col.oneOf("bond_type", ["corporate", "enterprise", "mtn", "cp", "lgfv", "financial"], "Bond type."),
    col.date("maturity_date", "Maturity date."),
    col.money("outstanding", "Amount outstanding."),
    col.rate("coupon", "Coupon rate."),
  ],
  crossField: [],
};

const disclosures: Dataset = {
  name: "disclosures",
  zh: "信息披露",
  en: "Periodic disclosures",
  description: "Periodic reports of listed and NEEQ companies: due and filed dates, as known at period end.",
  kind: "granular",
  reporter: "reporter_code",
  reporterTypes: ["securities_firm"],
  primaryKey: ["reporter_code", "period", "company_code", "report_type", "fiscal_period"],
  columns: [
    col.institution("reporter_code", "Reporting institution (sponsor broker)."),
    col.period(),
    col.creditCode("company_code", "Listed or NEEQ company."),
    col.oneOf("market", ["listed", "neeq"], "Exchange-listed or NEEQ."),
    col.oneOf("report_type", ["annual", "semiannual", "quarterly"], "Report type."),
    {
      name: "fiscal_period",
      type: { kind: "period" },
      required: true,
      description: "Period the report covers.",
    },
    col.date("due_date", "Statutory due date."),
    col.date("filed_date", "Date filed; empty if not filed.", false),
  ],
  crossField: [],
};

const complaints: Dataset = {
  name: "complaints",
  zh: "投诉举报",
  en: "Complaints and tips",
  description: "Complaints and tips received about institutions and companies, with their text.",
  kind: "granular",
  reporter: "receiver_code",
  reporterTypes: everyone.filter((t) => t !== "watched_company"),
  primaryKey: ["receiver_code", "complaint_id"],
  columns: [
    col.id("complaint_id", "Complaint identifier."),
    col.institution("receiver_code", "Institution or office that received it."),
    col.period(),
    col.creditCode("target_code", "Institution or company complained about."),
    col.date("received_on", "Date received."),
    col.oneOf("channel", ["hotline", "online", "letter", "visit", "referral"], "Channel."),
    col.oneOf(
      "category",
      ["mis_selling", "fund_raising", "collection", "fees", "service", "fraud", "unlicensed", "other"],
      "Category.",
    ),
    col.text("text", "Complaint text.", true, 20_000),
  ],
  crossField: [],
};

const watchedCompanies: Dataset = {
  name: "watched_companies",
  zh: "重点监测企业",
  en: "Companies under watch",
  description:
    "Companies monitored for illegal fund-raising at period end: business scope, marketing and promised returns.",
  kind: "granular",
  reporter: "reporter_code",
  reporterTypes: offices,
  primaryKey: ["reporter_code", "period", "company_code"],
  columns: [
    col.institution("reporter_code", "Reporting office or institution."),
    col.period(),
    col.creditCode("company_code", "Company."),
    col.name("name", "Company name."),
    col.name("district", "District."),
    col.text("business_scope", "Registered business scope.", true, 4_000),
    col.text("marketing_text", "Marketing or promotion text collected.", false, 20_000),
    col.rate("promised_return", "Highest annual return promised to investors.", false),
    col.int("promotion_channels", "Channels on which it promotes (web, social, offline events).", true, 0),
    col.oneOf("licence_kind", ["none", ...institutionTypeCodes], "Financial licence held, if any."),
    col.personal("director_id", "resident_id", "Legal representative's resident identity number.", false),
    col.personal("phone", "phone", "Registered contact phone.", false),
    col.personal("address", "address", "Registered address.", false),
  ],
  crossField: [],
};

const companyTransactions: Dataset = {
  name: "company_transactions",
  zh: "企业资金流水",
  en: "Company transactions",
  description: "Account transactions of companies under watch, for fund-flow signals.",
  kind: "granular",
  reporter: "reporter_code",
  reporterTypes: [...offices, "bank"],
  primaryKey: ["reporter_code", "txn_id"],
  columns: [
    col.id("txn_id", "Transaction identifier."),
    col.institution("reporter_code", "Reporting bank or office."),
    col.period(),
    col.creditCode("company_code", "Company under watch."),
    col.oneOf("direction", ["in", "out"], "Inflow to or outflow from the company."),
    col.oneOf("counterparty_type", ["individual", "enterprise"], "Counterparty kind."),
    col.personal("counterparty_id", "bank_card", "Counterparty account.", true),
    col.date("txn_date", "Date."),
    col.money("amount", "Amount."),
  ],
  crossField: [],
};

const outcomes: Dataset = {
  name: "outcomes",
  zh: "风险处置结果",
  en: "Outcome labels",
  description:
    "Known outcomes (failure, takeover, high-risk rating) with their dates, for calibration and backtests. Each outcome is an event, reported once: the same institution, event and date in another period is a duplicate, while a later rating (another date) is a new outcome.",
  kind: "granular",
  reporter: "reporter_code",
  reporterTypes: offices,
  // An outcome is identified by what happened to whom on which day; period stays out, so it is checked as an event.
  primaryKey: ["reporter_code", "institution_code", "event", "event_date"],
  columns: [
    col.institution("reporter_code", "Supervisory office reporting the label."),
    col.period(),
    col.creditCode("institution_code", "Institution concerned."),
    col.oneOf("event", ["failed", "taken_over", "high_risk_rating", "merged", "licence_revoked"], "Event."),
    col.date("event_date", "Date of the event."),
  ],
  crossField: [],
};

/** The data contract: every dataset an institution or office can submit. */
export const datasets: readonly Dataset[] = [
  institutions,
  licences,
  returns,
  loans,
  guarantees,
  exposures,
  products,
  productHoldings,
  productFilings,
  riskAssessments,
  sales,
  policies,
  surrenders,
  maturityBenefits,
  claims,
  bills,
  billEndorsements,
  venueListings,
  venueTrades,
  venueHoldings,
  bondMaturities,
  disclosures,
  complaints,
  watchedCompanies,
  companyTransactions,
  outcomes,
];

export const datasetsByName: ReadonlyMap<string, Dataset> = new Map(datasets.map((d) => [d.name, d]));

/** Looks a dataset up by name, or returns undefined. */
export function findDataset(name: string): Dataset | undefined {
  return datasetsByName.get(name);
}
