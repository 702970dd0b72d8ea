import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { parseCsv, parseNetworkCsv } from "./load-csv.ts";
import { buildNetwork } from "./network.ts";

const nodes = (text: string) => ({ name: "nodes.csv", text });
const exposures = (text: string) => ({ name: "exposures.csv", text });
const goodNodes = "id,capital,external_assets,external_liabilities\na,1,10,9\nb,2,5,3\n";
const goodExposures = "lender,borrower,amount\na,b,1.5\n";

describe("parseCsv", () => {
  it("handles quotes, escaped quotes, commas and newlines inside quotes, CRLF, a BOM and blank lines", () => {
    const rows = parseCsv({
      name: "x",
      text: '\ufeffid,name\r\n"a","Bank, ""One"""\r\n\r\nb,"two\nlines"\n',
    });
    expect(rows.map((r) => r.fields)).toEqual([
      ["id", "name"],
      ["a", 'Bank, "One"'],
      ["b", "two\nlines"],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(() => parseCsv({ name: "x.csv", text: 'a\n"open' })).toThrow(
      /x.csv line 2: a quoted field is not closed/,
    );
  });
});

describe("parseNetworkCsv", () => {
  it("reads nodes and exposures, with equity or buffer for capital and an optional weight", () => {
    const input = parseNetworkCsv(
      nodes('Id,Equity,External Assets,external-liabilities,weight\n"a",1,10,9,\nb,2,5,3,7\n'),
      exposures(goodExposures),
    );
    expect(input.nodes).toEqual([
      { id: "a", capital: 1, externalAssets: 10, externalLiabilities: 9 },
      { id: "b", capital: 2, externalAssets: 5, externalLiabilities: 3, weight: 7 },
    ]);
    expect(input.exposures).toEqual([{ lender: "a", borrower: "b", amount: 1.5 }]);
    expect(buildNetwork(input).exposureCount).toBe(1);
    const buffer = parseNetworkCsv(nodes(goodNodes.replace("capital", "buffer")), exposures(goodExposures));
    expect(buffer.nodes[1]!.capital).toBe(2);
  });

  it("names file, row, line and column for every bad input", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["", goodExposures, /nodes.csv: the file is empty/],
      [
        "id,external_assets,external_liabilities\na,1,2\n",
        goodExposures,
        /nodes.csv: missing column "capital" or "equity" or "buffer"/,
      ],
      [
        "id,capital,equity,external_assets,external_liabilities\n",
        goodExposures,
        /"capital" and "equity" both give/,
      ],
      [goodNodes, "lender,borrower\na,b\n", /exposures.csv: missing column "amount"/],
      [
        goodNodes,
        "lender,borrower,amount\na,b,1\nb,a,abc\n",
        /exposures.csv row 2 \(line 3\), column "amount": "abc" is not a number/,
      ],
      [goodNodes, "lender,borrower,amount\na,b,-4\n", /row 1 \(line 2\), column "amount": -4 is negative/],
      [
        goodNodes,
        "lender,borrower,amount\na,zz,1\n",
        /row 1 \(line 2\), column "borrower": unknown institution "zz"/,
      ],
      [goodNodes, "lender,borrower,amount\nq,a,1\n", /column "lender": unknown institution "q"/],
      [goodNodes, "lender,borrower,amount\na,a,1\n", /"a" cannot lend to itself/],
      [goodNodes, "lender,borrower,amount\na,b,\n", /column "amount": the value is empty/],
      [goodNodes, "lender,borrower,amount\na,b\n", /exposures.csv line 2: 2 fields, but the header has 3/],
      [
        `${goodNodes}a,3,1,1\n`,
        goodExposures,
        /nodes.csv row 3 \(line 4\), column "id": id "a" already appears in row 1/,
      ],
      [
        "id,capital,external_assets,external_liabilities\na,x1,1,1\n",
        goodExposures,
        /column "capital": "x1" is not a number/,
      ],
      [
        "id,capital,external_assets,external_liabilities\na,1,-1,1\n",
        goodExposures,
        /column "external_assets": -1 is negative/,
      ],
      ["id,capital,external_assets,external_liabilities\na,1,1e999,1\n", goodExposures, /out of range/],
      [
        "id,capital,external_assets,external_liabilities\n",
        goodExposures,
        /no institutions after the header/,
      ],
    ];
    for (const [n, e, message] of cases) {
      expect(() => parseNetworkCsv(nodes(n), exposures(e))).toThrow(AppError);
      expect(() => parseNetworkCsv(nodes(n), exposures(e))).toThrow(message);
    }
  });
});
