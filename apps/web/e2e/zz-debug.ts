import { createUser } from "@beacon/core/identity/create-user";
import { system } from "@beacon/core/identity/roles";
import { launchChromium, startServer } from "./harness.ts";

const password = "correct battery horse staple 42";
const s = await startServer(process.argv[2]!, async (b) => {
  for (const [u, role, unit] of [
    ["e2e-admin", "admin", undefined],
    ["e2e-finance", "finance_office", "finance_office"],
  ] as const) {
    const [x] = await b.db.query("select 1 from users where username = $1", [u]);
    if (!x) await createUser(b.db, system("e2e"), { username: u, password, role, ...(unit ? { unit } : {}) });
  }
});
const browser = await launchChromium();
const page = await (
  await browser.newContext({ locale: "zh-CN", viewport: { width: 1366, height: 768 } })
).newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
page.on("response", (r) => console.log("http", r.status(), r.url()));
page.on("requestfailed", (r) => console.log("failed", r.url(), r.failure()?.errorText));
await page.goto(`${s.url}/`);
await page.getByLabel(/用户名/).fill(process.argv[3] ?? "e2e-finance");
await page.getByLabel(/密码/).fill(password);
await page.getByRole("button", { name: "登录" }).click();
await page.waitForTimeout(Number(process.argv[5] ?? 6000));
if (process.argv[4]) {
  await page.goto(`${s.url}${process.argv[4]}`);
  await page.waitForTimeout(5000);
}
await page.screenshot({ path: "/tmp/debug.png", fullPage: true });
await browser.close();
await s.close();
