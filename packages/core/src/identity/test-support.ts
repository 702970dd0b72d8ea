import type { SupervisoryUnit } from "../contract/institution-types.ts";
import type { Db, Sql } from "../db/client.ts";
import { testCreditCode } from "../testing/fixtures.ts";
import { createUser } from "./create-user.ts";
import type { Role, TokenScope, UserPrincipal } from "./roles.ts";
import { system } from "./roles.ts";

/** Test institutions: two banks, a small-loan company and a trust, in two districts. */
export const inst = {
  bankA: testCreditCode(1),
  bankB: testCreditCode(2),
  loanC: testCreditCode(3),
  trustD: testCreditCode(4),
} as const;

/** Registers the test institutions directly (these tests are about workflow, not intake). */
export async function seedInstitutions(db: Sql): Promise<void> {
  await db.query(
    `insert into institutions (code, name_zh, name_en, type, sector, district) values
       ($1, '测试银行', 'Test Bank A', 'bank', 'banking', '渝中区'),
       ($2, '第二测试银行', 'Test Bank B', 'bank', 'banking', '江北区'),
       ($3, '测试小贷', 'Test Small Loan C', 'small_loan', 'local_finance', '渝北区'),
       ($4, '测试信托', 'Test Trust D', 'trust', 'trust', '渝中区')
     on conflict do nothing`,
    [inst.bankA, inst.bankB, inst.loanC, inst.trustD],
  );
}

export const testPassword = "correct battery horse staple 42";

/** Creates a user and returns the principal a session for them would carry. */
export async function seedUser(
  db: Db,
  username: string,
  role: Role,
  scope: { unit?: SupervisoryUnit; institution?: string; districts?: string[]; email?: string } = {},
): Promise<UserPrincipal> {
  const u = await createUser(db, system("test"), { username, password: testPassword, role, ...scope });
  return {
    kind: "user",
    userId: u.id,
    username,
    role,
    unit: (u.unit as SupervisoryUnit | null) ?? null,
    institution: u.institution,
    districts: u.districts,
    via: "session",
  };
}

/** The same user acting through an API token with these scopes. */
export function viaToken(p: UserPrincipal, scopes: TokenScope[]): UserPrincipal {
  return { ...p, via: "token", tokenId: 1, tokenScopes: scopes };
}
