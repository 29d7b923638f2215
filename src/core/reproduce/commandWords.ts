/** A word of a shell command, unquoted, with where it stands in the command text. */
export interface CommandWord {
  value: string;
  start: number;
  end: number;
}

const OPERATORS = new Set([';', '&', '|', '(', ')', '<', '>']);
/** Characters that make the shell expand a word into something the text does not say. */
const EXPANSION = /[$`*?[{~]/;

/**
 * The literal words of a POSIX shell command: quotes removed, words split at blanks and operators.
 * Words the shell would expand (variables, globs, command substitution) and the targets of output
 * redirections are left out: neither names a file the command reads as written.
 */
export function commandWords(command: string): CommandWord[] {
  const words: CommandWord[] = [];
  let i = 0;
  let redirected = false;
  while (i < command.length) {
    const c = command[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (OPERATORS.has(c)) {
      redirected = c === '>';
      i++;
      continue;
    }
    const start = i;
    let value = '';
    let expands = false;
    while (i < command.length && !/\s/.test(command[i]) && !OPERATORS.has(command[i])) {
      const ch = command[i];
      if (ch === "'") {
        const close = command.indexOf("'", i + 1);
        const end = close < 0 ? command.length : close;
        value += command.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (i < command.length && command[i] !== '"') {
          if (command[i] === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1])) i++;
          else if (command[i] === '$' || command[i] === '`') expands = true;
          value += command[i++];
        }
        i++;
      } else if (ch === '\\' && i + 1 < command.length) {
        value += command[i + 1];
        i += 2;
      } else {
        if (EXPANSION.test(ch)) expands = true;
        value += ch;
        i++;
      }
    }
    if (!expands && !redirected && value) words.push({ value, start, end: Math.min(i, command.length) });
    redirected = false;
  }
  return words;
}

/** A path as one word the shell reads back unchanged. */
export function shellQuote(text: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w./:@%+,-]+$/.test(text)) return text;
  return platform === 'win32' ? `"${text}"` : `'${text.replace(/'/g, `'\\''`)}'`;
}
