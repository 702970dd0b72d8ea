/**
 * The detectors a run can use, with what each reads and every parameter with its default, status and meaning (the
 * console, the API and `beacon detect --list` show the same list).
 */
import { detectorCatalog } from "./catalog.ts";
import type { Bilingual, DatasetUse } from "./types.ts";

export interface DetectorInfo {
  id: string;
  version: string;
  en: string;
  zh: string;
  description: Bilingual;
  leadUnit: string;
  datasets: DatasetUse[];
  after: string[];
  params: { name: string; default: unknown; status: string; en: string; zh: string; note?: string }[];
}

/** Every detector of the catalog, in run order. */
export function listDetectors(): DetectorInfo[] {
  return detectorCatalog.map((d) => ({
    id: d.id,
    version: d.version,
    en: d.en,
    zh: d.zh,
    description: d.description,
    leadUnit: d.leadUnit,
    datasets: [...d.datasets],
    after: [...(d.after ?? [])],
    params: Object.entries(
      d.params.specs as Record<
        string,
        { default: unknown; status: string; en: string; zh: string; note?: string }
      >,
    ).map(([name, s]) => ({
      name,
      default: s.default,
      status: s.status,
      en: s.en,
      zh: s.zh,
      ...(s.note ? { note: s.note } : {}),
    })),
  }));
}
