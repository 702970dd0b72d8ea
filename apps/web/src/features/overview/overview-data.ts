/**
 * What the overview asks the API for, shared with the shell so it can start these requests while the overview's
 * code is still loading (the first page most users open). Kept tiny: it is part of the first chunk.
 */
export const overviewRequests = {
  report: ["/api/reports/monthly", { format: "json" }],
  scores: ["/api/scores", { groupBy: "sector", top: 0 }],
  warnings: ["/api/warnings", { sort: "level", order: "desc", page: 1, pageSize: 10 }],
} as const;
