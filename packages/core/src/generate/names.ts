/**
 * Institution names in Chinese and English. Brands are invented two-character words with their pinyin, so a
 * synthetic bank never carries the name of a real one; districts are Chongqing's real ones.
 */
import type { InstitutionType } from "../contract/institution-types.ts";
import type { District } from "./ids.ts";

export interface Brand {
  zh: string;
  en: string;
}

export const brands: readonly Brand[] = [
  { zh: "嘉陵", en: "Jialing" },
  { zh: "巴渝", en: "Bayu" },
  { zh: "山城", en: "Shancheng" },
  { zh: "两江", en: "Liangjiang" },
  { zh: "渝州", en: "Yuzhou" },
  { zh: "缙云", en: "Jinyun" },
  { zh: "华岩", en: "Huayan" },
  { zh: "朝天", en: "Chaotian" },
  { zh: "鹅岭", en: "Eling" },
  { zh: "歌乐", en: "Gele" },
  { zh: "金佛", en: "Jinfo" },
  { zh: "武陵", en: "Wuling" },
  { zh: "大巴", en: "Daba" },
  { zh: "龙门", en: "Longmen" },
  { zh: "瑞丰", en: "Ruifeng" },
  { zh: "恒信", en: "Hengxin" },
  { zh: "汇通", en: "Huitong" },
  { zh: "聚鑫", en: "Juxin" },
  { zh: "鼎盛", en: "Dingsheng" },
  { zh: "同舟", en: "Tongzhou" },
  { zh: "博远", en: "Boyuan" },
  { zh: "宏图", en: "Hongtu" },
  { zh: "中诚", en: "Zhongcheng" },
  { zh: "安泰", en: "Antai" },
  { zh: "融汇", en: "Ronghui" },
  { zh: "鸿丰", en: "Hongfeng" },
  { zh: "泰和", en: "Taihe" },
  { zh: "永利", en: "Yongli" },
  { zh: "正和", en: "Zhenghe" },
  { zh: "合众", en: "Hezhong" },
  { zh: "天成", en: "Tiancheng" },
  { zh: "金诚", en: "Jincheng" },
  { zh: "元亨", en: "Yuanheng" },
  { zh: "丰年", en: "Fengnian" },
  { zh: "惠众", en: "Huizhong" },
  { zh: "德润", en: "Derun" },
  { zh: "景泰", en: "Jingtai" },
  { zh: "润通", en: "Runtong" },
  { zh: "长信", en: "Changxin" },
  { zh: "弘远", en: "Hongyuan" },
  { zh: "明德", en: "Mingde" },
  { zh: "启航", en: "Qihang" },
  { zh: "瀚海", en: "Hanhai" },
  { zh: "鑫源", en: "Xinyuan" },
  { zh: "卓越", en: "Zhuoyue" },
  { zh: "凯旋", en: "Kaixuan" },
  { zh: "新桥", en: "Xinqiao" },
  { zh: "磐石", en: "Panshi" },
  { zh: "金桥", en: "Jinqiao" },
  { zh: "众联", en: "Zhonglian" },
  { zh: "盛和", en: "Shenghe" },
  { zh: "华蓥", en: "Huaying" },
  { zh: "南山", en: "Nanshan" },
  { zh: "云岭", en: "Yunling" },
  { zh: "锦宏", en: "Jinhong" },
  { zh: "富川", en: "Fuchuan" },
  { zh: "信和", en: "Xinhe" },
  { zh: "仁达", en: "Renda" },
  { zh: "国瑞", en: "Guorui" },
  { zh: "晨光", en: "Chenguang" },
  { zh: "远航", en: "Yuanhang" },
  { zh: "万象", en: "Wanxiang" },
  { zh: "紫荆", en: "Zijing" },
  { zh: "青木", en: "Qingmu" },
  { zh: "金穗", en: "Jinsui" },
  { zh: "天和", en: "Tianhe" },
  { zh: "长盈", en: "Changying" },
  { zh: "兴渝", en: "Xingyu" },
  { zh: "涪江", en: "Fujiang" },
  { zh: "乌江", en: "Wujiang" },
  { zh: "綦河", en: "Qihe" },
  { zh: "铁山", en: "Tieshan" },
  { zh: "凤鸣", en: "Fengming" },
  { zh: "白鹤", en: "Baihe" },
  { zh: "玉峰", en: "Yufeng" },
  { zh: "金鼎", en: "Jinding" },
  { zh: "鸿运", en: "Hongyun" },
  { zh: "泓源", en: "Hongyuan" },
  { zh: "中汇", en: "Zhonghui" },
  { zh: "普惠", en: "Puhui" },
];

const venueKinds: readonly Brand[] = [
  { zh: "农村土地", en: "Rural Land" },
  { zh: "文化产权", en: "Cultural Property Rights" },
  { zh: "股份转让", en: "Equity Transfer" },
  { zh: "贵金属", en: "Precious Metals" },
  { zh: "药品", en: "Pharmaceuticals" },
  { zh: "航运", en: "Shipping" },
  { zh: "碳排放权", en: "Carbon Emissions" },
  { zh: "农产品", en: "Agricultural Products" },
  { zh: "联合产权", en: "United Property Rights" },
  { zh: "知识产权", en: "Intellectual Property" },
];

const watchedTrades: readonly Brand[] = [
  { zh: "财富管理", en: "Wealth Management" },
  { zh: "投资管理", en: "Investment Management" },
  { zh: "农业科技", en: "Agricultural Technology" },
  { zh: "养老服务", en: "Elderly Care Services" },
  { zh: "电子商务", en: "E-commerce" },
  { zh: "文化传媒", en: "Culture and Media" },
  { zh: "区块链科技", en: "Blockchain Technology" },
  { zh: "健康产业", en: "Health Industry" },
  { zh: "商贸", en: "Trading" },
  { zh: "生物科技", en: "Biotechnology" },
  { zh: "供应链管理", en: "Supply Chain Management" },
  { zh: "旅游开发", en: "Tourism Development" },
];

function districtShort(d: District): { zh: string; en: string } {
  // "渝北区" -> "渝北"; counties keep their name without the suffix.
  const zh = d.zh.replace(/(土家族苗族自治县|苗族土家族自治县|土家族自治县|区|县)$/, "");
  return { zh, en: d.en };
}

/** Chinese and English names of an institution; `variant` picks among templates of the type. */
export function institutionName(
  type: InstitutionType,
  brand: Brand,
  district: District,
  variant: number,
  bankTier?: number,
): { zh: string; en: string } {
  const ds = districtShort(district);
  switch (type) {
    case "bank":
      if (bankTier === 1 || bankTier === 2)
        return { zh: `${brand.zh}银行股份有限公司`, en: `${brand.en} Bank Co., Ltd.` };
      if (bankTier === 3)
        return variant % 2 === 0
          ? { zh: `重庆${brand.zh}银行股份有限公司`, en: `Chongqing ${brand.en} Bank Co., Ltd.` }
          : {
              zh: `重庆${ds.zh}农村商业银行股份有限公司`,
              en: `Chongqing ${ds.en} Rural Commercial Bank Co., Ltd.`,
            };
      if (bankTier === 4)
        return {
          zh: `重庆${ds.zh}${brand.zh}农村商业银行股份有限公司`,
          en: `Chongqing ${ds.en} ${brand.en} Rural Commercial Bank Co., Ltd.`,
        };
      return {
        zh: `重庆${ds.zh}${brand.zh}村镇银行股份有限公司`,
        en: `Chongqing ${ds.en} ${brand.en} Village Bank Co., Ltd.`,
      };
    case "securities_firm":
      return { zh: `${brand.zh}证券股份有限公司`, en: `${brand.en} Securities Co., Ltd.` };
    case "futures_firm":
      return { zh: `${brand.zh}期货有限公司`, en: `${brand.en} Futures Co., Ltd.` };
    case "public_fund_manager":
      return { zh: `${brand.zh}基金管理有限公司`, en: `${brand.en} Fund Management Co., Ltd.` };
    case "private_fund_manager":
      return variant % 2 === 0
        ? {
            zh: `重庆${brand.zh}私募股权投资基金管理有限公司`,
            en: `Chongqing ${brand.en} Private Equity Fund Management Co., Ltd.`,
          }
        : {
            zh: `重庆${brand.zh}私募证券投资基金管理有限公司`,
            en: `Chongqing ${brand.en} Private Securities Fund Management Co., Ltd.`,
          };
    case "trust":
      return { zh: `${brand.zh}国际信托股份有限公司`, en: `${brand.en} International Trust Co., Ltd.` };
    case "life_insurer":
      return { zh: `${brand.zh}人寿保险股份有限公司`, en: `${brand.en} Life Insurance Co., Ltd.` };
    case "pc_insurer":
      return {
        zh: `${brand.zh}财产保险股份有限公司`,
        en: `${brand.en} Property and Casualty Insurance Co., Ltd.`,
      };
    case "small_loan":
      return {
        zh: `重庆市${ds.zh}${brand.zh}小额贷款有限公司`,
        en: `Chongqing ${ds.en} ${brand.en} Small Loan Co., Ltd.`,
      };
    case "online_small_loan":
      return {
        zh: `重庆${brand.zh}网络小额贷款有限公司`,
        en: `Chongqing ${brand.en} Online Small Loan Co., Ltd.`,
      };
    case "financing_guarantee":
      return {
        zh: `重庆${ds.zh}${brand.zh}融资担保有限公司`,
        en: `Chongqing ${ds.en} ${brand.en} Financing Guarantee Co., Ltd.`,
      };
    case "financial_leasing":
      return {
        zh: `${brand.zh}融资租赁（重庆）有限公司`,
        en: `${brand.en} Financial Leasing (Chongqing) Co., Ltd.`,
      };
    case "pawn":
      return {
        zh: `重庆市${ds.zh}${brand.zh}典当有限公司`,
        en: `Chongqing ${ds.en} ${brand.en} Pawn Co., Ltd.`,
      };
    case "commercial_factoring":
      return {
        zh: `重庆${brand.zh}商业保理有限公司`,
        en: `Chongqing ${brand.en} Commercial Factoring Co., Ltd.`,
      };
    case "trading_venue": {
      const k = venueKinds[variant % venueKinds.length]!;
      return {
        zh: `重庆${brand.zh}${k.zh}交易所有限公司`,
        en: `Chongqing ${brand.en} ${k.en} Exchange Co., Ltd.`,
      };
    }
    case "local_amc":
      return {
        zh: `重庆${brand.zh}资产管理股份有限公司`,
        en: `Chongqing ${brand.en} Asset Management Co., Ltd.`,
      };
    case "investment_consulting":
      return {
        zh: `重庆${brand.zh}投资咨询有限公司`,
        en: `Chongqing ${brand.en} Investment Consulting Co., Ltd.`,
      };
    case "internet_lending_platform":
      return {
        zh: `重庆${brand.zh}网络借贷信息中介服务有限公司`,
        en: `Chongqing ${brand.en} Online Lending Information Intermediary Co., Ltd.`,
      };
    case "watched_company": {
      const t = watchedTrades[variant % watchedTrades.length]!;
      return { zh: `重庆${brand.zh}${t.zh}有限公司`, en: `Chongqing ${brand.en} ${t.en} Co., Ltd.` };
    }
    case "supervisory_office":
      // Offices are named from the list of supervisory units, not from brands.
      return { zh: brand.zh, en: brand.en };
  }
}

/** The trade word of a watched company's name, for its business scope. */
export function watchedTrade(variant: number): Brand {
  return watchedTrades[variant % watchedTrades.length]!;
}

/** The kind of a trading venue (its listings follow it). */
export function venueKind(variant: number): Brand {
  return venueKinds[variant % venueKinds.length]!;
}
