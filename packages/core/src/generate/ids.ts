/**
 * Identifiers of people and companies, each a pure function of an index: the same person has the same resident
 * id, phone, bank card, address and plate in every dataset, and two different indexes never share any of them
 * (the maps are bijections), which keeps the background free of accidental shared identifiers.
 */
import { creditCodeCheckChar, residentIdCheckChar } from "../contract/identifiers.ts";
import { compactDate, dayOf, pad2, padInt } from "./format.ts";
import { hash4, WeightedTable } from "./random.ts";

export interface District {
  code: string;
  zh: string;
  en: string;
  /** Relative weight of population and business. */
  weight: number;
}

/** Chongqing's districts and counties with their administrative division codes. */
export const districts: readonly District[] = [
  { code: "500101", zh: "万州区", en: "Wanzhou", weight: 5 },
  { code: "500102", zh: "涪陵区", en: "Fuling", weight: 3 },
  { code: "500103", zh: "渝中区", en: "Yuzhong", weight: 10 },
  { code: "500104", zh: "大渡口区", en: "Dadukou", weight: 2 },
  { code: "500105", zh: "江北区", en: "Jiangbei", weight: 10 },
  { code: "500106", zh: "沙坪坝区", en: "Shapingba", weight: 7 },
  { code: "500107", zh: "九龙坡区", en: "Jiulongpo", weight: 8 },
  { code: "500108", zh: "南岸区", en: "Nan'an", weight: 7 },
  { code: "500109", zh: "北碚区", en: "Beibei", weight: 3 },
  { code: "500110", zh: "綦江区", en: "Qijiang", weight: 2 },
  { code: "500111", zh: "大足区", en: "Dazu", weight: 2 },
  { code: "500112", zh: "渝北区", en: "Yubei", weight: 12 },
  { code: "500113", zh: "巴南区", en: "Banan", weight: 4 },
  { code: "500114", zh: "黔江区", en: "Qianjiang", weight: 1 },
  { code: "500115", zh: "长寿区", en: "Changshou", weight: 2 },
  { code: "500116", zh: "江津区", en: "Jiangjin", weight: 3 },
  { code: "500117", zh: "合川区", en: "Hechuan", weight: 3 },
  { code: "500118", zh: "永川区", en: "Yongchuan", weight: 3 },
  { code: "500119", zh: "南川区", en: "Nanchuan", weight: 1 },
  { code: "500120", zh: "璧山区", en: "Bishan", weight: 2 },
  { code: "500151", zh: "铜梁区", en: "Tongliang", weight: 1 },
  { code: "500152", zh: "潼南区", en: "Tongnan", weight: 1 },
  { code: "500153", zh: "荣昌区", en: "Rongchang", weight: 1 },
  { code: "500154", zh: "开州区", en: "Kaizhou", weight: 2 },
  { code: "500155", zh: "梁平区", en: "Liangping", weight: 1 },
  { code: "500156", zh: "武隆区", en: "Wulong", weight: 1 },
  { code: "500229", zh: "城口县", en: "Chengkou", weight: 0.5 },
  { code: "500230", zh: "丰都县", en: "Fengdu", weight: 1 },
  { code: "500231", zh: "垫江县", en: "Dianjiang", weight: 1 },
  { code: "500233", zh: "忠县", en: "Zhongxian", weight: 1 },
  { code: "500235", zh: "云阳县", en: "Yunyang", weight: 1 },
  { code: "500236", zh: "奉节县", en: "Fengjie", weight: 1 },
  { code: "500237", zh: "巫山县", en: "Wushan", weight: 0.5 },
  { code: "500238", zh: "巫溪县", en: "Wuxi", weight: 0.5 },
  { code: "500240", zh: "石柱土家族自治县", en: "Shizhu", weight: 0.5 },
  { code: "500241", zh: "秀山土家族苗族自治县", en: "Xiushan", weight: 0.5 },
  { code: "500242", zh: "酉阳土家族苗族自治县", en: "Youyang", weight: 0.5 },
  { code: "500243", zh: "彭水苗族土家族自治县", en: "Pengshui", weight: 0.5 },
];

/** Districts of the main urban area, where most head offices are registered. */
export const urbanDistrictCodes = ["500103", "500105", "500106", "500107", "500108", "500112", "500113"];

const districtTable = new WeightedTable(districts.map((d) => d.weight));

/** A district drawn by weight from a uniform number in [0, 1). */
export function districtAt(u: number): District {
  return districts[districtTable.index(u)]!;
}

export function districtByCode(code: string): District {
  const d = districts.find((x) => x.code === code);
  if (!d) throw new RangeError(`unknown district ${code}`);
  return d;
}

// ---------------------------------------------------------------------------------------------------------
// Bijective scrambles of a 27-bit index (different constants per identifier kind).

const MASK27 = 0x7ffffff;
/** People are numbered below this bound (the resident-id map is bijective on 27 bits). */
export const PERSON_LIMIT = 1 << 27;

function scramble27(i: number, k1: number, k2: number): number {
  let x = i & MASK27;
  x = (Math.imul(x, k1 | 1) + k2) & MASK27;
  x ^= x >>> 13;
  x = Math.imul(x, 0x2c1b3c6d | 1) & MASK27;
  x ^= x >>> 11;
  x = Math.imul(x, 0x297a2d39 | 1) & MASK27;
  x ^= x >>> 15;
  return x;
}

// ---------------------------------------------------------------------------------------------------------
// Resident identity numbers (GB 11643): division code, birth date, sequence, check digit.

const outOfTown = [
  { code: "510104", weight: 1.5 },
  { code: "510107", weight: 1.5 },
  { code: "511302", weight: 1 },
  { code: "420106", weight: 0.8 },
  { code: "110105", weight: 0.6 },
  { code: "440305", weight: 0.6 },
  { code: "310115", weight: 0.5 },
  { code: "520102", weight: 0.8 },
];

/** 100 slots: each slot is a division code; codes with several slots take sequence numbers in turn. */
const idSlots: { code: string; rank: number; shares: number }[] = (() => {
  const all = [...districts.map((d) => ({ code: d.code, weight: d.weight })), ...outOfTown];
  const total = all.reduce((s, d) => s + d.weight, 0);
  const counts = all.map((d) => Math.max(1, Math.round((d.weight / total) * 100)));
  let sum = counts.reduce((s, c) => s + c, 0);
  // Trim or pad the largest entries so there are exactly 100 slots.
  while (sum !== 100) {
    let idx = 0;
    for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[idx]!) idx = i;
    counts[idx] = counts[idx]! + (sum > 100 ? -1 : 1);
    sum += sum > 100 ? -1 : 1;
  }
  const slots: { code: string; rank: number; shares: number }[] = [];
  all.forEach((d, i) => {
    for (let r = 0; r < counts[i]!; r++) slots.push({ code: d.code, rank: r, shares: counts[i]! });
  });
  return slots;
})();

const BIRTH_FIRST = dayOf(1955, 1, 1);
const BIRTH_DAYS = dayOf(2003, 12, 31) - BIRTH_FIRST + 1;

/** The resident id of person `i` (0 <= i < 2^27): unique per person, valid check digit, adult birth date. */
export function residentId(i: number): string {
  let x = scramble27(i, 0x2545f491, 0x6b43a9b5);
  const day = x % BIRTH_DAYS;
  x = Math.floor(x / BIRTH_DAYS);
  const slot = idSlots[x % 100]!;
  const q = Math.floor(x / 100);
  const seq = q * slot.shares + slot.rank;
  const body = `${slot.code}${compactDate(BIRTH_FIRST + day)}${padInt(seq, 3)}`;
  return body + residentIdCheckChar(body);
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idChecks = "10X98765432";
const slotCodes = idSlots.map((s) => Array.from(s.code, (c) => c.charCodeAt(0)));

/**
 * The same resident id as `residentId(i)`, written as 18 ASCII bytes into `out` without building strings:
 * for the datasets that carry millions of them. Tests check both agree (and pass residentIdCheckChar).
 */
export function residentIdBytes(i: number, out: Uint8Array): void {
  let x = scramble27(i, 0x2545f491, 0x6b43a9b5);
  const day = x % BIRTH_DAYS;
  x = Math.floor(x / BIRTH_DAYS);
  const slot = idSlots[x % 100]!;
  const seq = Math.floor(x / 100) * slot.shares + slot.rank;
  const code = slotCodes[x % 100]!;
  for (let k = 0; k < 6; k++) out[k] = code[k]!;
  const date = compactDate(BIRTH_FIRST + day);
  for (let k = 0; k < 8; k++) out[6 + k] = date.charCodeAt(k);
  out[14] = 48 + Math.floor(seq / 100);
  out[15] = 48 + (Math.floor(seq / 10) % 10);
  out[16] = 48 + (seq % 10);
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += (out[k]! - 48) * idWeights[k]!;
  out[17] = idChecks.charCodeAt(sum % 11);
}

/** Birth year of person `i`, for income and product profiles. */
export function birthYear(i: number): number {
  const x = scramble27(i, 0x2545f491, 0x6b43a9b5);
  return 1955 + Math.floor(((x % BIRTH_DAYS) / BIRTH_DAYS) * 49);
}

// ---------------------------------------------------------------------------------------------------------
// Phones, bank cards, vehicle plates, addresses.

const phonePrefixes = [
  "130",
  "131",
  "132",
  "133",
  "134",
  "135",
  "136",
  "137",
  "138",
  "139",
  "150",
  "151",
  "152",
  "153",
  "155",
  "156",
  "157",
  "158",
  "159",
  "166",
  "173",
  "175",
  "176",
  "177",
  "180",
  "181",
  "182",
  "183",
  "186",
  "187",
  "188",
  "189",
  "191",
  "198",
  "199",
];

/** Mobile number of person `i` (11 digits). */
export function phone(i: number): string {
  const x = scramble27(i, 0x68e31da4, 0x1b56c4e9);
  const p = phonePrefixes[x % phonePrefixes.length]!;
  const rest = (Math.floor(x / phonePrefixes.length) * 7_777_777 + 3_141_592) % 100_000_000;
  return p + padInt(rest, 8);
}

const cardBins = ["621700", "622848", "622202", "621661", "622262", "621799", "623170", "621483"];

function luhnDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Debit card of person `i` (19 digits, UnionPay prefix, Luhn check digit). */
export function bankCard(i: number): string {
  const x = scramble27(i, 0x3c6ef372, 0x7f4a7c15);
  const bin = cardBins[x % cardBins.length]!;
  const acct = (Math.floor(x / cardBins.length) * 999_999_937 + 271_828_182_845) % 1_000_000_000_000;
  const body = bin + padInt(acct, 12);
  return body + luhnDigit(body);
}

/** Settlement account of enterprise `e` (19 digits, never starting like a personal card). */
export function enterpriseAccount(e: number): string {
  const acct = (e * 7_919_993 + 123_456_789) % 100_000_000_000;
  const body = `3100${padInt(Math.floor(e / 100_000_000_000), 3)}${padInt(acct, 11)}`;
  return body + luhnDigit(body);
}

const plateLetters = ["A", "B", "C", "D", "F", "G", "H"];
const plateChars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** Chongqing vehicle plate of person `i` ("渝A3K8Q2"). */
export function plate(i: number): string {
  const x = scramble27(i, 0x1f83d9ab, 0x5be0cd19);
  const letter = plateLetters[x % plateLetters.length]!;
  let rest = (Math.floor(x / plateLetters.length) * 9_973 + 1_234_567) % 45_435_424; // 34^5
  let tail = "";
  for (let k = 0; k < 5; k++) {
    tail = plateChars[rest % 34]! + tail;
    rest = Math.floor(rest / 34);
  }
  return `渝${letter}${tail}`;
}

const roads = [
  "人民路",
  "解放路",
  "建设路",
  "中山路",
  "新华路",
  "和平路",
  "滨江路",
  "学府大道",
  "金开大道",
  "龙溪路",
  "红旗河沟路",
  "长江路",
  "嘉陵路",
  "公园路",
  "朝阳路",
  "光明路",
  "文化路",
  "兴隆路",
  "金龙路",
  "民生路",
  "渝州路",
  "南坪路",
  "石桥铺路",
  "天生路",
];

/** Home address of person `i`: unique per person, without commas. */
export function address(i: number): string {
  let x = scramble27(i, 0x510e527f, 0x9b05688c);
  const d = districts[x % districts.length]!;
  x = Math.floor(x / districts.length);
  const road = roads[x % roads.length]!;
  x = Math.floor(x / roads.length);
  const no = (x % 300) + 1;
  x = Math.floor(x / 300);
  const building = (x % 30) + 1;
  x = Math.floor(x / 30);
  const unit = (x % 4) + 1;
  x = Math.floor(x / 4);
  const floor = (hash4(i, 77) % 32) + 1;
  return `重庆市${d.zh}${road}${no}号${building}栋${unit}单元${floor}${pad2(x + 1)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Unified Social Credit Codes (GB 32100-2015) with the organisation code inside (GB 11714).

const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

function orgCodeCheck(body8: string): string {
  let sum = 0;
  for (let k = 0; k < 8; k++) sum += (body8.charCodeAt(k) - 48) * orgWeights[k]!;
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

/** Credit code for organisation number `n` (< 10^8) registered in a division; "91" marks a company. */
export function creditCode(n: number, division: string, prefix = "91"): string {
  const body8 = padInt((n * 7_654_321 + 12_345_678) % 100_000_000, 8);
  const first17 = `${prefix}${division}${body8}${orgCodeCheck(body8)}`;
  return first17 + creditCodeCheckChar(first17);
}

/** Organisation numbers: institutions below this, enterprises above it. */
export const ENTERPRISE_ORG_BASE = 1_000_000;

// ---------------------------------------------------------------------------------------------------------
// Record numbers: sequence numbers are scrambled so that an id tells nothing about when or why a row was made.

const MASK30 = 0x3fffffff;

/** A bijection of [0, 2^30) keyed by `salt`: distinct inputs give distinct outputs. */
export function scramble30(x: number, salt: number): number {
  let v = (x ^ salt) & MASK30;
  v = Math.imul(v, 0x2c9277b5) & MASK30;
  v ^= v >>> 15;
  v = Math.imul(v, 0x6b43a9b5 | 1) & MASK30;
  v ^= v >>> 13;
  v = Math.imul(v, 0x1b873593 | 1) & MASK30;
  v ^= v >>> 16;
  return v;
}

/** Ten-digit record number of sequence `x` (< 2^30) in the numbering `salt`. */
export function recordNo(x: number, salt: number): string {
  return padInt(scramble30(x, salt), 10);
}
