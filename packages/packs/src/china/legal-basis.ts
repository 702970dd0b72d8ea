/**
 * The documents the China pack cites, as data taken from the threshold digest
 * (reference/regulation-thresholds.md): title, issuer, year, number, digest sources and status.
 * A rule cites a document with `art(doc, "Art. 39(1)", "第三十九条第（一）项")`, or the document alone
 * when the digest gives no article. Article numbers the digest marks unverified carry status U.
 */
import type { Bilingual, LegalBasis, SourceStatus } from "@beacon/core/rules/index";

const issuers = {
  npcsc: { en: "NPC Standing Committee", zh: "全国人民代表大会常务委员会" },
  stateCouncil: { en: "State Council", zh: "国务院" },
  stateCouncilOffice: { en: "General Office of the State Council", zh: "国务院办公厅" },
  cbrc: { en: "CBRC", zh: "中国银监会" },
  cbirc: { en: "CBIRC", zh: "中国银保监会" },
  nfra: { en: "NFRA", zh: "国家金融监督管理总局" },
  csrc: { en: "CSRC", zh: "中国证监会" },
  circ: { en: "CIRC", zh: "中国保监会" },
  amJoint: { en: "PBoC, CBIRC, CSRC, SAFE", zh: "中国人民银行、中国银保监会、中国证监会、国家外汇管理局" },
  interbankJoint: {
    en: "PBoC, CBRC, CSRC, CIRC, SAFE",
    zh: "中国人民银行、中国银监会、中国证监会、中国保监会、国家外汇管理局",
  },
  pbocCbirc: { en: "PBoC, CBIRC", zh: "中国人民银行、中国银保监会" },
  cbrcPboc: { en: "CBRC, PBoC", zh: "中国银监会、中国人民银行" },
  cbircPboc: { en: "CBIRC, PBoC", zh: "中国银保监会、中国人民银行" },
  rectificationOffices: {
    en: "Internet-finance and P2P rectification offices",
    zh: "互联网金融风险专项整治工作领导小组办公室、P2P网络借贷风险专项整治工作领导小组办公室",
  },
  chongqing: { en: "Chongqing municipality", zh: "重庆市" },
} as const satisfies Record<string, Bilingual>;

function doc(
  en: string,
  zh: string,
  issuer: Bilingual,
  year: number | undefined,
  sources: readonly string[],
  status: SourceStatus,
  extra: Partial<Pick<LegalBasis, "reference" | "inForce">> = {},
): LegalBasis {
  return { document: { en, zh }, issuer, ...(year === undefined ? {} : { year }), sources, status, ...extra };
}

/** The document cited at one article; `status` overrides the document's when the article number is unverified. */
export function art(basis: LegalBasis, en: string, zh: string, status?: SourceStatus): LegalBasis {
  return { ...basis, article: { en, zh }, ...(status ? { status } : {}) };
}

/** The same citation shown only for period ends within [from, to]. */
export function during(basis: LegalBasis, from: string | undefined, to?: string): LegalBasis {
  return { ...basis, inForce: { ...(from ? { from } : {}), ...(to ? { to } : {}) } };
}

export const docs = {
  assetManagement: doc(
    "Guiding Opinions on Regulating the Asset Management Business of Financial Institutions",
    "关于规范金融机构资产管理业务的指导意见",
    issuers.amJoint,
    2018,
    ["S6", "S7"],
    "S",
    { reference: "银发〔2018〕106号" },
  ),
  commercialBankLaw: doc("Commercial Bank Law", "商业银行法", issuers.npcsc, 2015, ["S2"], "P"),
  bankCapital2012: doc(
    "Commercial Bank Capital Rules (Trial)",
    "商业银行资本管理办法（试行）",
    issuers.cbrc,
    2012,
    ["S9"],
    "S",
  ),
  // The digest could not confirm that the 2023 rules carry the same minimums over [S29] U.
  bankCapital2023: doc(
    "Commercial Bank Capital Rules",
    "商业银行资本管理办法",
    issuers.nfra,
    2023,
    ["S29"],
    "U",
    {
      reference: "国家金融监督管理总局令2023年第4号",
    },
  ),
  newStandards2011: doc(
    "Guiding Opinion on Implementing New Regulatory Standards in China's Banking Sector",
    "关于中国银行业实施新监管标准的指导意见",
    issuers.cbrc,
    2011,
    ["S9"],
    "S",
  ),
  coreIndicators: doc(
    "Core Indicators for the Risk Supervision of Commercial Banks (Trial)",
    "商业银行风险监管核心指标（试行）",
    issuers.cbrc,
    2005,
    ["S12"],
    "S",
  ),
  provisionNotice2018: doc(
    "Notice on Adjusting the Regulatory Requirements for Loan-Loss Provisions of Commercial Banks",
    "关于调整商业银行贷款损失准备监管要求的通知",
    issuers.cbrc,
    2018,
    ["S9", "S11"],
    "S",
  ),
  liquidity2018: doc(
    "Measures for the Liquidity Risk Management of Commercial Banks",
    "商业银行流动性风险管理办法",
    issuers.cbirc,
    2018,
    ["S10"],
    "S",
  ),
  largeExposures2018: doc(
    "Measures for the Management of Large Exposures of Commercial Banks",
    "商业银行大额风险暴露管理办法",
    issuers.cbirc,
    2018,
    ["S13"],
    "S",
  ),
  interbank2014: doc(
    "Notice on Regulating the Interbank Business of Financial Institutions",
    "关于规范金融机构同业业务的通知",
    issuers.interbankJoint,
    2014,
    ["S14"],
    "S",
    { reference: "银发〔2014〕127号" },
  ),
  realEstate2020: doc(
    "Notice on Establishing a Concentration Management System for Real-Estate Loans of Banking Financial Institutions",
    "关于建立银行业金融机构房地产贷款集中度管理制度的通知",
    issuers.pbocCbirc,
    2020,
    ["S15"],
    "S",
  ),
  bills2022: doc(
    "Measures for the Administration of the Acceptance, Discount and Rediscount of Commercial Drafts",
    "商业汇票承兑、贴现与再贴现管理办法",
    issuers.pbocCbirc,
    2022,
    ["S23"],
    "S",
    { reference: "中国人民银行 中国银行保险监督管理委员会令〔2022〕第4号" },
  ),
  securitiesRiskControl: doc(
    "Measures for the Administration of Risk Control Indicators of Securities Companies",
    "证券公司风险控制指标管理办法",
    issuers.csrc,
    2020,
    ["S16"],
    "S",
    { reference: "中国证监会令第166号" },
  ),
  securitiesCalculation: doc(
    "Calculation Standards for Risk Control Indicators of Securities Companies",
    "证券公司风险控制指标计算标准规定",
    issuers.csrc,
    2024,
    ["S16", "S17"],
    "S*",
    { reference: "中国证监会公告〔2024〕13号" },
  ),
  marginTrading2015: doc(
    "Measures for the Administration of Margin Trading and Securities Lending by Securities Companies",
    "证券公司融资融券业务管理办法",
    issuers.csrc,
    2015,
    [],
    "U",
  ),
  solvency2021: doc(
    "Regulations on the Solvency Management of Insurance Companies",
    "保险公司偿付能力管理规定",
    issuers.cbirc,
    2021,
    ["S18"],
    "S",
    { reference: "中国银保监会令2021年第1号" },
  ),
  shortDuration2016: doc(
    "Notice on Regulating Short- and Medium-Duration Life Insurance Products",
    "关于规范中短存续期人身保险产品有关事项的通知",
    issuers.circ,
    2016,
    ["S18"],
    "S",
  ),
  smallLoan2008: doc(
    "Guiding Opinions on the Pilot Programme of Small-Loan Companies",
    "关于小额贷款公司试点的指导意见",
    issuers.cbrcPboc,
    2008,
    ["S19"],
    "S",
    { reference: "银监发〔2008〕23号" },
  ),
  smallLoan2020: doc(
    "Notice on Strengthening the Supervision and Administration of Small-Loan Companies",
    "关于加强小额贷款公司监督管理的通知",
    issuers.cbirc,
    2020,
    ["S19"],
    "S",
    { reference: "银保监办发〔2020〕86号" },
  ),
  chongqingSlcBorrowing: doc(
    "Chongqing rules on borrowing between small-loan companies (title unverified)",
    "重庆市小额贷款公司拆借资金管理规定（标题待核实）",
    issuers.chongqing,
    undefined,
    ["S19"],
    "S*",
  ),
  cashLoans2017: doc(
    "Notice on Regulating and Rectifying Cash-Loan Business",
    "关于规范整顿“现金贷”业务的通知",
    issuers.rectificationOffices,
    2017,
    ["S30"],
    "S",
    { reference: "整治办函〔2017〕141号" },
  ),
  onlineSmallLoan2020: doc(
    "Interim Measures for the Administration of Online Small-Loan Business (draft for comment)",
    "网络小额贷款业务管理暂行办法（征求意见稿）",
    issuers.cbircPboc,
    2020,
    ["S20"],
    "S",
  ),
  financingGuarantee2017: doc(
    "Regulations on the Supervision and Administration of Financing Guarantee Companies",
    "融资担保公司监督管理条例",
    issuers.stateCouncil,
    2017,
    ["S1"],
    "P",
    { reference: "国务院令第683号" },
  ),
  guaranteeAssetRatios2018: doc(
    "Measures for the Administration of the Asset Ratios of Financing Guarantee Companies",
    "融资担保公司资产比例管理办法",
    issuers.cbirc,
    2018,
    ["S21"],
    "S*",
    { reference: "银保监发〔2018〕1号" },
  ),
  tradingVenues2011: doc(
    "Decision on Cleaning Up and Rectifying Trading Venues to Prevent Financial Risks",
    "国务院关于清理整顿各类交易场所切实防范金融风险的决定",
    issuers.stateCouncil,
    2011,
    ["S22"],
    "S",
    { reference: "国发〔2011〕38号" },
  ),
  tradingVenues2012: doc(
    "Implementing Opinions on Cleaning Up and Rectifying Trading Venues",
    "关于清理整顿各类交易场所的实施意见",
    issuers.stateCouncilOffice,
    2012,
    ["S22"],
    "S",
    { reference: "国办发〔2012〕37号" },
  ),
  // Title and date of the plan are unverified; its text is reference/seed-chongqing-financial-risk-plan.txt.
  chongqingPlan: doc(
    "Chongqing plan for preventing and resolving major financial risks",
    "重庆市防范化解重大金融风险工作方案",
    issuers.chongqing,
    undefined,
    ["S28"],
    "U",
  ),
} as const satisfies Record<string, LegalBasis>;
