/**
 * @module
 * SendGrid's `mergeFieldFormat`: a Python str.format-style string where `{}` stands for
 * the merge field name and `{{` / `}}` are literal braces (esps/sendgrid.txt
 * SENDGRID_MERGE_FIELD_FORMAT; checklist SG-05). "-{}-" turns `name` into `-name-`,
 * "{{{{{}}}}}" into `{{name}}`.
 */
import { AnymailConfigurationError } from "../../errors.js";

/** Compiles a format once; throws AnymailConfigurationError for anything but `{}`, `{0}`, `{{`, `}}`. */
export function compileMergeFieldFormat(
  format: string,
  espName: string,
): (field: string) => string {
  const pieces: (string | null)[] = []; // null marks where the field name goes
  let literal = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    const next = format[i + 1];
    if ((ch === "{" && next === "{") || (ch === "}" && next === "}")) {
      literal += ch;
      i++;
    } else if (ch === "{" && (next === "}" || (next === "0" && format[i + 2] === "}"))) {
      pieces.push(literal, null);
      literal = "";
      i += next === "}" ? 1 : 2;
    } else if (ch === "{" || ch === "}") {
      throw new AnymailConfigurationError(
        `${espName}: invalid merge field format ${JSON.stringify(format)}: use {} for the ` +
          `field name and double a literal brace ({{ or }}).`,
        { espName },
      );
    } else {
      literal += ch;
    }
  }
  pieces.push(literal);
  return (field) => pieces.map((piece) => piece ?? field).join("");
}
