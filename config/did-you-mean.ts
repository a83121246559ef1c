/**
 * Misspelt variables: a variable that is not a setting but looks like one of our families
 * (its first word is, or is one typo away from, the first word of a setting) and lies within a
 * couple of edits of a setting's name gets a warning naming the nearest setting. Variables of
 * other programs (PATH, AWS_PROFILE, npm_config_*) stay silent: they match no family closely
 * enough, or no name.
 */

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (SINGUP → SIGNUP is 1). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i];
    if (!row) continue;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

const firstWord = (name: string): string => name.split('_')[0] ?? name;

/** Every shell sets these; one of them near a setting's name (HOME and HOST) is still not a typo. */
const PROCESS_VARIABLES = new Set(['HOME', 'PATH', 'USER', 'SHELL', 'PWD', 'OLDPWD', 'LANG', 'TERM', 'HOSTNAME', 'HOSTTYPE', 'TMPDIR', 'LOGNAME', 'TZ', 'EDITOR', 'MAIL', 'SHLVL']);

/** Short family words (SMS, AWS, KEY) must match exactly: one typo away from them is most of the alphabet. */
function sameFamily(word: string, family: string): boolean {
  if (word === family) return true;
  return family.length >= 4 && editDistance(word, family) <= 1 + Math.floor(family.length / 6);
}

/** Two edits at most, three for long names. */
const closeEnough = (name: string, known: string): boolean => editDistance(name, known) <= (known.length >= 16 ? 3 : 2);

/** @returns one warning per misspelt variable, e.g. "SINGUP_ENABLED is not a setting; did you mean SIGNUP_ENABLED?" */
export function misspeltVariables(env: Readonly<Record<string, string | undefined>>, known: ReadonlySet<string>): string[] {
  const families = new Set([...known].map(firstWord));
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (known.has(name) || PROCESS_VARIABLES.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const word = firstWord(name);
    if (![...families].some((family) => sameFamily(word, family))) continue;
    let nearest: string | undefined;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of known) {
      const distance = editDistance(name, candidate);
      if (distance < nearestDistance && closeEnough(name, candidate)) [nearest, nearestDistance] = [candidate, distance];
    }
    if (nearest) warnings.push(`${name} is not a setting; did you mean ${nearest}?`);
  }
  return warnings;
}
