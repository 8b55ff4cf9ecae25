/** `mediawatch names <name>...`: the spellings and case forms a watched name expands to. */
import { commonWordCollisions } from '../language/common-words.js';
import { expandName } from '../language/names.js';

export async function namesCommand(args: string[]): Promise<number> {
  const names = args.filter((a) => a.trim() !== '');
  if (names.length === 0) {
    console.error('mediawatch names: give a name, e.g. mediawatch names "Volodymyr Zelensky"');
    return 2;
  }
  for (const name of names) {
    const variants = expandName(name);
    console.log(`${name}: ${variants.length} spelling(s)`);
    for (const v of variants) {
      const forms = v.words
        .map((w, i) =>
          w.forms
            .slice(1)
            .map((f) => (v.words[i].capital ? capitalize(f) : f))
            .join(', '),
        )
        .filter((f) => f !== '');
      console.log(`  ${v.spelling.padEnd(28)} ${v.source.padEnd(22)} ${forms.join(' | ')}`);
    }
    for (const c of await commonWordCollisions(variants))
      console.warn(`warning: ${collisionWarning(name, c.form, c.language)}`);
  }
  return 0;
}

export function collisionWarning(name: string, form: string, language: string): string {
  return `"${name}" expands to "${capitalize(form)}", also a common ${language} word ("${form}"); only a capitalised "${capitalize(form)}" matches, so a sentence that begins with the word may still raise an alert`;
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}
