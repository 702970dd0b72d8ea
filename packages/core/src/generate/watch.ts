/**
 * Complaints about institutions and companies (all months), the register of companies under watch (end
 * period) and the account flows of those companies (last twelve months). Planted fund-raising companies promise
 * high guaranteed returns, draw many complaints, and receive many small transfers from individuals that leave
 * again within days.
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import { activitySeason, monthLabel, monthStart } from "./calendar.ts";
import { csvText, fen, isoDate, padInt } from "./format.ts";
import { address, bankCard, enterpriseAccount, phone, recordNo, residentId } from "./ids.ts";
import { watchedTrade } from "./names.ts";
import type { PlanContext } from "./plan-context.ts";
import { Rng, unit4, WeightedTable } from "./random.ts";
import type { BankFailurePlan } from "./returns.ts";
import { backgroundPersons } from "./sales.ts";
import { detector } from "./truth.ts";
import { type Institution, office, streamKey, type World } from "./world.ts";
import { DatasetWriter, PeriodWriter, type WrittenFile } from "./writer.ts";

const rateByType: Record<InstitutionType, number> = {
  bank: 1,
  securities_firm: 1,
  futures_firm: 0.3,
  public_fund_manager: 0.5,
  private_fund_manager: 0.1,
  trust: 0.5,
  life_insurer: 3,
  pc_insurer: 4,
  small_loan: 0.3,
  online_small_loan: 3,
  financing_guarantee: 0.1,
  financial_leasing: 0.2,
  pawn: 0.1,
  commercial_factoring: 0.05,
  trading_venue: 0.3,
  local_amc: 0.05,
  investment_consulting: 0.2,
  internet_lending_platform: 1.5,
  watched_company: 0.05,
  supervisory_office: 0,
};

function complaintRate(inst: Institution): number {
  if (inst.type === "bank") return [6, 4, 2, 0.8, 0.3][(inst.tier ?? 5) - 1]!;
  return rateByType[inst.type];
}

/** Background complaints about an institution in a month (the same draw feeds the rows and the returns). */
export function backgroundComplaints(world: World, inst: Institution, mi: number): number {
  const rng = new Rng(world.s0, streamKey(world, "complaints:count"), inst.idx, mi);
  return rng.poisson(complaintRate(inst) * activitySeason(mi));
}

/** The bank that monitors a watched company's accounts and receives tips about it. */
export function monitoringBank(world: World, company: Institution): Institution | undefined {
  const banks = world.byType.bank.filter(
    (b) => !b.reservedClean && b.status !== "revoked" && (b.tier ?? 5) <= 4,
  );
  const list = banks.length > 0 ? banks : world.byType.bank.filter((b) => b.status !== "revoked");
  return list.length === 0
    ? undefined
    : list[Math.floor(unit4(world.s0, world.s1, company.idx, 0xba2c) * list.length)];
}

const categoriesFor = (inst: Institution): [string[], number[]] => {
  switch (inst.type) {
    case "bank":
      return [
        ["service", "fees", "mis_selling", "other"],
        [50, 25, 10, 15],
      ];
    case "online_small_loan":
    case "small_loan":
    case "internet_lending_platform":
    case "pawn":
      return [
        ["collection", "fees", "service", "other"],
        [40, 35, 15, 10],
      ];
    case "life_insurer":
    case "pc_insurer":
      return [
        ["service", "mis_selling", "fees", "other"],
        [60, 20, 10, 10],
      ];
    default:
      return [
        ["service", "other"],
        [60, 40],
      ];
  }
};

function backgroundText(category: string, inst: Institution, rng: Rng): string {
  switch (category) {
    case "service":
      return inst.type === "life_insurer" || inst.type === "pc_insurer"
        ? `客户反映理赔申请提交后${5 + rng.int(40)}天仍未处理，多次致电客服未获答复，要求尽快处理。`
        : `客户反映在营业网点办理业务等候超过${1 + rng.int(3)}小时，工作人员解释不清，要求改进服务。`;
    case "fees":
      return `客户反映账户被扣收${10 + rng.int(990)}元服务费，办理时未被告知收费标准，要求说明并退还。`;
    case "collection":
      return `借款人反映催收人员频繁拨打其家人和同事电话，影响正常工作生活，要求规范催收行为。`;
    case "mis_selling":
      return `客户反映所购产品实际风险与销售人员介绍不一致，净值下跌${2 + rng.int(15)}%，要求核查销售过程。`;
    default:
      return inst.type === "watched_company"
        ? `群众反映该公司拖欠装修款${1 + rng.int(20)}万元，多次协商未果。`
        : `客户反映手机客户端无法正常登录，联系客服后问题仍未解决。`;
  }
}

const channels = ["hotline", "online", "letter", "visit", "referral"];
const channelTable = new WeightedTable([45, 35, 5, 10, 5]);

export interface FundraisingCompany {
  inst: Institution;
  bank: Institution;
  promised: number;
  marketing: string;
  scope: string;
  channels: number;
  licenceKind: string;
  director: number;
}

export interface WatchPlan {
  companies: FundraisingCompany[];
  complaints: { month: number; target: Institution; line: (period: string) => string }[];
  transactions: { month: number; company: Institution; line: (period: string) => string }[];
}

/** The office taking tips about a company under watch: the finance office or the central bank's hotline. */
export function tipOffice(world: World, company: Institution): Institution {
  return office(world, unit4(world.s0, world.s1, company.idx, 0x7195) < 0.6 ? "finance_office" : "pbc_cq");
}

const complaintId = (inst: Institution, ym: string, k: number) =>
  `CP${padInt(inst.idx, 4)}${ym}${recordNo(k, 0xc0c0)}`;
const txnId = (inst: Institution, ym: string, k: number) =>
  `TX${padInt(inst.idx, 4)}${ym}${recordNo(k, 0x7a7a)}`;

/** Background transactions of a watched company in a month (the first draw of its stream). */
function backgroundTxnCount(world: World, inst: Institution, mi: number, rng: Rng): number {
  rng.reseed(world.s0, streamKey(world, "company-txns"), inst.idx, mi);
  return 15 + rng.int(36);
}

/** Companies with account flows: every watched company and any licensed firm planted as a fund-raiser. */
function flowCompanies(world: World, plan: WatchPlan): Institution[] {
  const set = new Set<Institution>(world.byType.watched_company);
  for (const c of plan.companies) set.add(c.inst);
  return [...set].sort((a, b) => a.idx - b.idx);
}

/** Writes complaints (every month), watched_companies (end period) and company_transactions (last twelve months). */
export function writeWatch(
  world: World,
  plan: WatchPlan,
  failures: readonly BankFailurePlan[],
  out: string,
): WrittenFile[] {
  // Once a failed bank's licence is revoked, complaints about it go to the banking regulator's office.
  const revokedAfter = new Map(
    failures.filter((f) => f.event === "failed").map((f) => [f.inst.idx, f.failMonth]),
  );
  const regulator = office(world, "cbrc_cq");
  const cw = new DatasetWriter(out, "complaints");
  const rng = new Rng();
  const plantedComplaints = groupBy(plan.complaints, (c) => `${c.target.idx}|${c.month}`);
  const plantedTxns = groupBy(plan.transactions, (t) => `${t.company.idx}|${t.month}`);
  const key = streamKey(world, "complaints:rows");
  for (const mi of world.months) {
    const label = monthLabel(mi);
    cw.open(label);
    const start = monthStart(mi);
    const days = monthStart(mi + 1) - start;
    const ym = label.replace("-", "");
    for (const inst of world.institutions) {
      const n = backgroundComplaints(world, inst, mi);
      if (n > 0) {
        // Licensed institutions receive complaints about themselves; tips about watched companies go to an office.
        const receiver =
          inst.type === "watched_company"
            ? tipOffice(world, inst)
            : mi >= (revokedAfter.get(inst.idx) ?? Number.POSITIVE_INFINITY)
              ? regulator
              : inst;
        rng.reseed(world.s0, key, inst.idx, mi);
        const [cats, weights] = categoriesFor(inst);
        const table = new WeightedTable(weights);
        for (let k = 0; k < n; k++) {
          const cat = cats[table.index(rng.float())]!;
          cw.add(
            label,
            `${complaintId(inst, ym, k + 1)},${receiver.code},${label},${inst.code},${isoDate(start + rng.int(days))},${channels[channelTable.index(rng.float())]},${cat},${csvText(backgroundText(cat, inst, rng))}\n`,
          );
        }
      }
      for (const c of plantedComplaints.get(`${inst.idx}|${mi}`) ?? []) cw.add(label, c.line(label));
    }
  }
  const period = world.endPeriod;
  const ww = new PeriodWriter(out, "watched_companies", period);
  const watcher = office(world, "finance_office");
  const persons = backgroundPersons(world);
  const planted = new Map(plan.companies.map((c) => [c.inst.idx, c]));
  const companies = flowCompanies(world, plan);
  for (const inst of companies) {
    const c = planted.get(inst.idx);
    if (c) {
      ww.add(
        `${watcher.code},${period},${c.inst.code},${c.inst.zh},${c.inst.district.zh},${csvText(c.scope)},${csvText(c.marketing)},${c.promised.toFixed(4)},${c.channels},${c.licenceKind},${residentId(c.director)},${phone(c.director)},${csvText(address(c.director))}\n`,
      );
      continue;
    }
    rng.reseed(world.s0, key, inst.idx, 7);
    const trade = watchedTrade(inst.variant);
    const director = rng.int(persons);
    const promised =
      trade.zh.includes("财富") || trade.zh.includes("投资")
        ? rng.chance(0.3)
          ? rng.range(0.035, 0.06).toFixed(4)
          : ""
        : "";
    ww.add(
      `${watcher.code},${period},${inst.code},${inst.zh},${inst.district.zh},${csvText(`${trade.zh}服务；企业管理咨询；市场营销策划（依法须经批准的项目，经相关部门批准后方可开展经营活动）`)},${csvText(`${inst.zh}专注${trade.zh}领域，诚信经营，欢迎洽谈合作。`)},${promised},${rng.int(3)},none,${residentId(director)},${phone(director)},${csvText(address(director))}\n`,
    );
  }
  const tw = new DatasetWriter(out, "company_transactions");
  const months = world.months.slice(-12);
  for (const mi of months) {
    const label = monthLabel(mi);
    tw.open(label);
    const start = monthStart(mi);
    const days = monthStart(mi + 1) - start;
    const ym = label.replace("-", "");
    for (const inst of companies) {
      const bank = monitoringBank(world, inst);
      if (!bank) continue;
      if (inst.type === "watched_company") {
        const n = backgroundTxnCount(world, inst, mi, rng);
        let individualsIn = 0;
        for (let k = 0; k < n; k++) {
          const inflow = rng.chance(0.5);
          // Few individuals pay in: at most ten a month in the background.
          const individual = rng.chance(0.3) && (!inflow || individualsIn < 10);
          if (individual && inflow) individualsIn++;
          const cp = individual ? bankCard(rng.int(persons)) : enterpriseAccount(rng.int(1_000_000));
          const amount = individual
            ? rng.logNormal(8_000, 0.8, 500, 50_000)
            : rng.logNormal(150_000, 1, 5_000, 3_000_000);
          tw.add(
            label,
            `${txnId(inst, ym, k + 1)},${bank.code},${label},${inst.code},${inflow ? "in" : "out"},${individual ? "individual" : "enterprise"},${cp},${isoDate(start + rng.int(days))},${fen(Math.round(amount * 100))}\n`,
          );
        }
      }
      for (const t of plantedTxns.get(`${inst.idx}|${mi}`) ?? []) tw.add(label, t.line(label));
    }
  }
  return [...cw.close(), ...ww.close(), ...tw.close()];
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/** Numbers planted complaints and transactions after the background ones of the same company and month. */
class WatchNumbers {
  private readonly next = new Map<string, number>();
  private readonly world: World;
  private readonly rng = new Rng();
  constructor(world: World) {
    this.world = world;
  }
  complaint(inst: Institution, mi: number): string {
    const key = `c${inst.idx}|${mi}`;
    const k = this.next.get(key) ?? backgroundComplaints(this.world, inst, mi) + 1;
    this.next.set(key, k + 1);
    return complaintId(inst, monthLabel(mi).replace("-", ""), k);
  }
  txn(inst: Institution, mi: number): string {
    const key = `t${inst.idx}|${mi}`;
    const k =
      this.next.get(key) ??
      (inst.type === "watched_company" ? backgroundTxnCount(this.world, inst, mi, this.rng) : 0) + 1;
    this.next.set(key, k + 1);
    return txnId(inst, monthLabel(mi).replace("-", ""), k);
  }
}

const guaranteePhrases = ["保本保息", "稳赚不赔", "零风险", "到期还本付息", "政府背景担保"];

/** Plans companies raising funds illegally: promises, complaints, fan-in of small transfers and pass-through. */
export function planFundraising(ctx: PlanContext, plan: WatchPlan, rng: Rng, count: number): void {
  const world = ctx.world;
  const watched = rng.shuffled(ctx.dirty("watched_company"));
  const consulting = rng.shuffled(ctx.dirty("investment_consulting"));
  const months = world.months.slice(-12);
  const numbers = new WatchNumbers(world);
  for (let k = 0; k < count; k++) {
    const licensed = k % 3 === 2 && consulting.length > 0;
    const inst = licensed ? consulting.shift() : watched.shift();
    if (!inst) continue;
    const bank = monitoringBank(world, inst);
    if (!bank) continue;
    const receiver = tipOffice(world, inst);
    const promised = Math.round(rng.range(0.12, 0.36) * 1000) / 1000;
    const phrases = rng.shuffled(guaranteePhrases).slice(0, 2 + rng.int(2));
    const project = rng.pick([
      "养老公寓",
      "生态农业",
      "区块链矿机",
      "新能源充电桩",
      "文旅康养",
      "供应链金融",
    ]);
    const marketing = `${inst.zh}推出"${project}"投资计划，起投1万元，年化收益${(promised * 100).toFixed(0)}%，${phrases.join("、")}，按月付息，介绍亲友投资另有${1 + rng.int(5)}%返利。Guaranteed returns, no risk.`;
    const scope = licensed
      ? "投资咨询；企业管理咨询；财务咨询（不得从事吸收存款、集资收款、受托贷款、发放贷款等金融业务）"
      : `${watchedTrade(inst.variant).zh}技术开发；农副产品销售；企业管理咨询`;
    const director = ctx.newPerson();
    const company: FundraisingCompany = {
      inst,
      bank,
      promised,
      marketing,
      scope,
      channels: 4 + rng.int(6),
      licenceKind: licensed ? inst.type : "none",
      director,
    };
    plan.companies.push(company);
    // Inflows from many individual investors, passed on within two days to a few accounts.
    const activeMonths = months.slice(-(4 + rng.int(5)));
    const controllers = [ctx.newPerson(), ctx.newPerson()];
    const shells = [2_000_000 + k * 3, 2_000_001 + k * 3];
    let inflowCount = 0;
    let inflowTotal = 0;
    let outflowTotal = 0;
    const investors: number[] = [];
    const seen = new Set<number>();
    activeMonths.forEach((mi, idx) => {
      const start = monthStart(mi);
      const days = monthStart(mi + 1) - start;
      const n = Math.round((150 + rng.int(150)) * (1 + idx * 0.4));
      const dayTotals = new Map<number, number>();
      for (let j = 0; j < n; j++) {
        const person =
          investors.length > 50 && rng.chance(0.2) ? investors[rng.int(investors.length)]! : ctx.newPerson();
        if (!seen.has(person)) {
          seen.add(person);
          investors.push(person);
        }
        const amount = rng.pick([10_000, 20_000, 30_000, 50_000, 50_000, 100_000, 200_000]);
        const day = start + rng.int(days);
        dayTotals.set(day, (dayTotals.get(day) ?? 0) + amount);
        const id = numbers.txn(inst, mi);
        plan.transactions.push({
          month: mi,
          company: inst,
          line: (label) =>
            `${id},${bank.code},${label},${inst.code},in,individual,${bankCard(person)},${isoDate(day)},${fen(amount * 100)}\n`,
        });
        inflowCount++;
        inflowTotal += amount;
      }
      for (const [day, total] of [...dayTotals.entries()].sort((a, b) => a[0] - b[0])) {
        const outDay = Math.min(world.endDay, day + rng.int(3));
        const outMonth = Math.min(mi, world.endMonth);
        const share = rng.range(0.85, 0.95);
        const toShell = rng.chance(0.5);
        const cp = toShell ? enterpriseAccount(shells[rng.int(2)]!) : bankCard(controllers[rng.int(2)]!);
        const amount = Math.round(total * share);
        outflowTotal += amount;
        const m = outDay >= monthStart(outMonth + 1) ? outMonth + 1 : outMonth;
        if (m > world.endMonth) continue;
        const id = numbers.txn(inst, m);
        plan.transactions.push({
          month: m,
          company: inst,
          line: (label) =>
            `${id},${bank.code},${label},${inst.code},out,${toShell ? "enterprise" : "individual"},${cp},${isoDate(outDay)},${fen(amount * 100)}\n`,
        });
      }
    });
    // Complaints from investors who cannot get their money back.
    const complaintMonths = activeMonths.slice(-3);
    const nComplaints = 10 + rng.int(50);
    for (let j = 0; j < nComplaints; j++) {
      const mi = complaintMonths[rng.int(complaintMonths.length)]!;
      const day = monthStart(mi) + rng.int(28);
      const investor = investors[rng.int(investors.length)] ?? director;
      const amount = rng.pick([1, 2, 3, 5, 10, 20]);
      const text = rng.pick([
        `本人经朋友介绍在${inst.zh}投资"${project}"项目${amount}万元，对方承诺年化收益${(promised * 100).toFixed(0)}%、${phrases[0]}，现到期无法兑付，公司人员失联，请求政府部门介入。`,
        `${inst.zh}以高额回报为诱饵向老年人推销理财，声称${phrases[1] ?? phrases[0]}，本人${amount}万元本金至今无法取回。`,
        `举报${inst.zh}通过微信群和线下讲座吸收公众资金，承诺${phrases[0]}，怀疑非法集资。投资人身份证号${residentId(investor)}。`,
      ]);
      const id = numbers.complaint(inst, mi);
      const category = j % 4 === 3 ? "unlicensed" : "fund_raising";
      const channel = channels[channelTable.index(rng.float())]!;
      plan.complaints.push({
        month: mi,
        target: inst,
        line: (label) =>
          `${id},${receiver.code},${label},${inst.code},${isoDate(day)},${channel},${category},${csvText(text)}\n`,
      });
    }
    ctx.touch(inst, bank);
    ctx.add({
      kind: "fundraising_company",
      subjectType: "institution",
      subjects: [inst.code],
      periods: activeMonths.map(monthLabel),
      flaggedBy: [detector("fundraising")],
      details: {
        name: inst.zh,
        registryType: inst.type,
        licenceKind: company.licenceKind,
        licenceMismatch: licensed
          ? "licensed for investment consulting, raising deposits from the public"
          : "no financial licence",
        promisedReturn: promised,
        marketingPhrases: phrases,
        promotionChannels: company.channels,
        complaints: nComplaints,
        individualInflows: inflowCount,
        distinctInvestors: investors.length,
        inflowTotal,
        passedOnWithinTwoDays: Math.round((outflowTotal / Math.max(1, inflowTotal)) * 1000) / 1000,
        monitoringBank: bank.code,
      },
    });
  }
}
