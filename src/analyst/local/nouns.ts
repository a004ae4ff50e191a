/**
 * The nouns that say what kind of answer a question wants, shared by the question reader (reading.ts)
 * and the stated-answer selector (stated.ts) — one list each, so the two read a question alike.
 */

/** Nouns that name a party: "which account / partner / customer" asks for an organisation (or a person). */
export const PARTY_NOUNS = new Set(
  'customer client account logo partner partnership reseller distributor vendor supplier provider competitor rival investor lender bank acquirer buyer company firm team agency auditor landlord'.split(
    ' ',
  ),
);

/** Titles written as acronyms, each with the function it heads ("cro" → sales). */
export const ACRONYM_ROLES: Record<string, string> = {
  ceo: 'executive',
  cfo: 'finance',
  cto: 'engineering',
  cro: 'sales',
  cmo: 'marketing',
  coo: 'operations',
  cpo: 'product',
  cco: 'success',
};

/** Nouns that name a person or a role: "which engineer", "who is the VP" asks for a person. */
export const PERSON_NOUNS = new Set([
  ...'person people founder cofounder head lead leader manager director vp president chair officer advisor hire employee engineer executive owner contact champion'.split(
    ' ',
  ),
  ...Object.keys(ACRONYM_ROLES),
]);
