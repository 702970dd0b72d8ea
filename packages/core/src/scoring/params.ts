/**
 * The scoring parameter set: component weights, level cut-offs and the few constants of each component.
 * It is governed data (versioned, proposed by one person and approved by another, see govern-scoring-params.ts);
 * every stored score names the version that produced it. Every field has a default, so a proposal may name
 * only what it changes.
 */
import { z } from "zod";

const points = (value: number) => z.number().min(0).max(200).default(value);
const fraction = (value: number) => z.number().min(0).max(1).default(value);

const severityFactors = z
  .strictObject({
    low: z.number().min(0).max(3).default(0.5),
    medium: z.number().min(0).max(3).default(0.8),
    high: z.number().min(0).max(3).default(1),
    critical: z.number().min(0).max(3).default(1.25),
  })
  .prefault({});

/** The parameter groups: each one governed parameter of the "scoring.weights" rule (see scoring-catalog.ts). */
export const scoringParamGroups = {
  breach: z
    .strictObject({
      /** Points for a breach of a regulatory line, plus up to `regulatorySpan` the further past it. */
      regulatoryBase: points(35),
      regulatorySpan: points(30),
      warningBase: points(12),
      warningSpan: points(13),
      /** Relative distance past a regulatory line that earns the whole span (0.5 = half the line's value). */
      fullGap: z.number().positive().max(10).default(0.5),
      /** A breach of a threshold still marked "to be confirmed" counts this much. */
      provisionalFactor: fraction(0.5),
      /** The second breach counts this much, the third its square, and so on. */
      decay: fraction(0.5),
      /** Rules left out because another component already counts them (late filings: timeliness). */
      excludedRules: z.array(z.string().min(1)).max(200).default(["cn.gen.late_filings"]),
    })
    .prefault({}),
  distance: z
    .strictObject({
      /** Points when a value sits on its line without crossing it. */
      weight: points(10),
      /** Relative headroom below which closeness starts to count (0.2 = within 20% of the line). */
      zone: z.number().positive().max(5).default(0.2),
      decay: fraction(0.5),
    })
    .prefault({}),
  trend: z
    .strictObject({
      weight: points(20),
      /** Months over which the change of each indicator is measured. */
      windowMonths: z.number().int().min(1).max(24).default(6),
      /** Robust z of the change against the peer group's changes: signal starts at zStart, full at zFull. */
      zStart: z.number().min(0).max(20).default(2),
      zFull: z.number().min(0.5).max(40).default(6),
      /** Below this many peers, the change is judged against the indicator's own level instead. */
      minPeers: z.number().int().min(3).max(1000).default(6),
      decay: fraction(0.5),
    })
    .refine((t) => t.zFull > t.zStart, { message: "zFull must exceed zStart" })
    .prefault({}),
  peer: z
    .strictObject({
      weight: points(10),
      /** Only the worst tail counts: percentile (1 = worst) from which the signal starts. */
      tail: z.number().min(0).max(0.99).default(0.8),
      /** Peer groups split by size (terciles of total assets) when at least this many institutions. */
      sizeSplitFrom: z.number().int().min(6).max(10_000).default(30),
      minPeers: z.number().int().min(3).max(1000).default(5),
    })
    .prefault({}),
  timeliness: z
    .strictObject({
      /** Points when every filing due was late, or the period's return is missing. */
      weight: points(8),
    })
    .prefault({}),
  dataQuality: z
    .strictObject({
      /** Points when every applicable rule could not be computed for missing data. */
      weight: points(6),
    })
    .prefault({}),
  findings: z
    .strictObject({
      /** Points per detector finding (times its severity factor), decaying from the second on. */
      weight: points(18),
      decay: fraction(0.5),
    })
    .prefault({}),
  anomalies: z
    .strictObject({
      weight: points(12),
      decay: fraction(0.5),
    })
    .prefault({}),
  systemic: z
    .strictObject({
      /** Points when an institution's own default would stress at least `full` of the rest of the system. */
      weight: points(10),
      /** DebtRank impact (weighted share of the system) from which points start, and at which they are full. */
      start: fraction(0.02),
      full: fraction(0.25),
      /** A stored ranking counts for the months up to this many after its exposure period. */
      validMonths: z.number().int().min(0).max(12).default(3),
    })
    .refine((s) => s.full > s.start, { message: "full must exceed start" })
    .prefault({}),
  severity: severityFactors,
  /** Score cut-offs of the four warning levels (green below `blue`). */
  cutoffs: z
    .strictObject({
      blue: z.number().min(0).max(100).default(20),
      yellow: z.number().min(0).max(100).default(35),
      orange: z.number().min(0).max(100).default(50),
      red: z.number().min(0).max(100).default(70),
    })
    .prefault({})
    .refine((c) => c.blue < c.yellow && c.yellow < c.orange && c.orange < c.red, {
      message: "cut-offs must rise: blue < yellow < orange < red",
    }),
  /** Indicator values and rule outcomes stay valid this many months after their period (quarterly data). */
  carryMonths: z.number().int().min(0).max(12).default(2),
  /** An open warning closes after this many consecutive green periods. */
  closeAfterGreenPeriods: z.number().int().min(1).max(24).default(2),
  /** Contributions kept with each score (largest first). */
  keepContributions: z.number().int().min(3).max(100).default(12),
};

export const scoringParamsSchema = z.strictObject(scoringParamGroups);

export type ScoringParams = z.output<typeof scoringParamsSchema>;
export type ScoringParamsInput = z.input<typeof scoringParamsSchema>;

/** The built-in parameter set (version 0), used until a governed version is approved. */
export const defaultScoringParams: ScoringParams = scoringParamsSchema.parse({});
