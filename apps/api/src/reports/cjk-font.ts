import { existsSync } from "node:fs";
import { AppError } from "@beacon/core/errors";

/** A font file with Chinese glyphs and, for a collection (.ttc), the face to use. */
export interface CjkFont {
  path: string;
  family?: string;
}

/** Debian's CJK fonts, most compact first; BEACON_CJK_FONT (a .ttf, .otf or .ttc path) takes precedence. */
const candidates: CjkFont[] = [
  { path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", family: "WenQuanYiMicroHei" },
  { path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", family: "WenQuanYiZenHei" },
  { path: "/usr/share/fonts/truetype/arphic/uming.ttc", family: "AR PL UMing CN" },
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", family: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf" },
];

/**
 * Finds a CJK font at run time. PDF reports cannot show Chinese without one, so its absence is a clear error that
 * names the Debian package to install rather than a document full of empty boxes.
 */
export function findCjkFont(env: Record<string, string | undefined> = process.env): CjkFont {
  const configured = env.BEACON_CJK_FONT;
  if (configured) {
    if (!existsSync(configured))
      throw new AppError("CONFIG", `BEACON_CJK_FONT points to ${configured}, which does not exist`);
    const family = env.BEACON_CJK_FONT_FAMILY;
    return family ? { path: configured, family } : { path: configured };
  }
  const found = candidates.find((c) => existsSync(c.path));
  if (!found) {
    throw new AppError(
      "CONFIG",
      "PDF reports need a Chinese (CJK) font and none is installed: install Debian's fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or set BEACON_CJK_FONT to a .ttf/.ttc file",
    );
  }
  return found;
}
