/**
 * GitHub's filter patterns for branches and paths: `*` matches within one path segment, `**` across
 * segments, `?` one character; a leading `!` excludes again what earlier patterns matched. The
 * last pattern that matches decides, as on GitHub.
 */
export function matchesPatterns(
  patterns: readonly string[],
  value: string,
): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(value))
      matched = !negated;
  }
  return matched;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let at = 0; at < glob.length; at++) {
    const char = glob[at];
    if (glob.startsWith('**', at)) {
      source += '.*';
      at++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
