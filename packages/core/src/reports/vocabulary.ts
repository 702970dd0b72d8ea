import type { Sector } from "../contract/institution-types.ts";

type Bi = { readonly en: string; readonly zh: string };

/** Names shared by the console and the report documents, so a sector is called the same everywhere. */
export const sectorNames: Record<Sector, Bi> = {
  banking: { en: "Banking", zh: "银行业" },
  securities: { en: "Securities", zh: "证券业" },
  insurance: { en: "Insurance", zh: "保险业" },
  trust: { en: "Trust", zh: "信托业" },
  local_finance: { en: "Local financial organisations", zh: "地方金融组织" },
  internet_finance: { en: "Internet finance", zh: "互联网金融" },
  unlicensed: { en: "Unlicensed activity", zh: "无牌经营" },
  supervision: { en: "Supervisory offices", zh: "监管机构" },
};

export const levelNames: Record<"red" | "orange" | "yellow" | "blue" | "green", Bi> = {
  red: { en: "Red", zh: "红色" },
  orange: { en: "Orange", zh: "橙色" },
  yellow: { en: "Yellow", zh: "黄色" },
  blue: { en: "Blue", zh: "蓝色" },
  green: { en: "Green", zh: "绿色" },
};

export const institutionStatusNames: Record<
  "active" | "under_watch" | "exited" | "taken_over" | "revoked",
  Bi
> = {
  active: { en: "Active", zh: "正常经营" },
  under_watch: { en: "Under watch", zh: "重点关注" },
  exited: { en: "Exited", zh: "已退出" },
  taken_over: { en: "Taken over", zh: "已接管" },
  revoked: { en: "Revoked", zh: "已吊销" },
};

export const lineNames: Record<"warning" | "regulatory", Bi> = {
  warning: { en: "Warning line", zh: "预警线" },
  regulatory: { en: "Regulatory line", zh: "监管线" },
};
